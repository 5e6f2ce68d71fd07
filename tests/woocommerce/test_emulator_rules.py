"""The rules the WooCommerce emulator enforces, each with where WooCommerce states it.

Sources (read with the search tool, woocommerce/woocommerce and woocommerce/woocommerce-rest-api-docs):

- REST API docs, ``source/includes/wp-api-v3/_introduction.md`` ("Errors", "Pagination");
- ``plugins/woocommerce/includes/class-wc-rest-authentication.php`` (``perform_basic_authentication``);
- ``includes/rest-api/Controllers/Version3/class-wc-rest-order-refunds-controller.php``
  (``prepare_object_for_database``) and ``src/Internal/RestApiUtil.php``
  (``adjust_create_refund_request_parameters``);
- ``plugins/woocommerce/includes/wc-order-functions.php`` (``wc_create_refund``, ``wc_refund_payment``);
- ``src/Internal/RestApi/Routes/V4/Refunds/DataUtils.php`` (``validate_line_items``);
- ``includes/rest-api/Controllers/Version2/class-wc-rest-orders-v2-controller.php`` (order items).
"""

from __future__ import annotations

import httpx

from sandbox.woocommerce import DEMO_KEY


def _refund(raw, order_id, body):
    return raw.post(f"/orders/{order_id}/refunds", json=body)


def test_errors_are_code_message_and_data_status(raw):
    """_introduction.md, Errors: "Errors return both an appropriate HTTP status code and response object which
    contains a `code`, `message` and `data` attribute", e.g. {"code": "woocommerce_rest_term_invalid",
    "message": "Resource doesn't exist.", "data": {"status": 404}}."""
    answer = raw.get("/orders/999999")
    assert answer.status_code == 404
    body = answer.json()
    assert set(body) == {"code", "message", "data"} and body["data"] == {"status": 404}


def test_a_wrong_secret_for_a_known_key_is_refused(server):
    """class-wc-rest-authentication.php, perform_basic_authentication: ``if ( ! hash_equals(
    $this->user->consumer_secret, $consumer_secret ) ) { ... new WP_Error( 'woocommerce_rest_authentication_error',
    __( 'Consumer secret is invalid.', 'woocommerce' ), array( 'status' => 401 ) )``."""
    answer = httpx.get(server + "/wp-json/wc/v3/orders", auth=(DEMO_KEY, "cs_wrong"))
    assert answer.status_code == 401
    assert answer.json() == {"code": "woocommerce_rest_authentication_error", "message": "Consumer secret is invalid.",
                             "data": {"status": 401}}


def test_no_known_key_is_an_unauthenticated_request_the_permission_check_refuses(server):
    """perform_basic_authentication returns false for an unknown key (``if ( empty( $this->user ) ) { return
    false; }``), so the request is anonymous and the endpoint's permission check refuses it with 401
    (_introduction.md: "401 Unauthorized | Authentication or permission error, e.g. incorrect API keys")."""
    listing = httpx.get(server + "/wp-json/wc/v3/orders", auth=("ck_unknown", "cs_unknown"))
    create = httpx.post(server + "/wp-json/wc/v3/orders", json={})
    assert (listing.status_code, listing.json()["code"]) == (401, "woocommerce_rest_cannot_view")
    assert (create.status_code, create.json()["code"]) == (401, "woocommerce_rest_cannot_create")


def test_the_key_may_come_as_query_parameters(server):
    """perform_basic_authentication: "If the $_GET parameters are present, use those first"
    (``consumer_key`` and ``consumer_secret``)."""
    from sandbox.woocommerce import DEMO_SECRET

    answer = httpx.get(server + "/wp-json/wc/v3/orders",
                       params={"consumer_key": DEMO_KEY, "consumer_secret": DEMO_SECRET})
    assert answer.status_code == 200


def test_collections_page_with_total_headers(client, raw, order):
    """_introduction.md, Pagination: "Requests that return multiple items will be paginated to 10 items by
    default ... the items per page can be specified with the ?per_page parameter ... Page number is 1-based ...
    The total number of resources and pages are always included in the X-WP-Total and X-WP-TotalPages HTTP
    headers."""
    for _ in range(11):
        client.create_order(list(order.lines), note="page")
    first = raw.get("/orders")
    assert len(first.json()) == 10 and first.headers["X-WP-Total"] == "12" and first.headers["X-WP-TotalPages"] == "2"
    second = raw.get("/orders", params={"page": 2, "per_page": 5})
    assert len(second.json()) == 5 and second.headers["X-WP-TotalPages"] == "3"


def test_per_page_above_one_hundred_is_refused(raw):
    """The WP REST API's collection parameters (``'per_page' => array( ... 'minimum' => 1, 'maximum' => 100 )``,
    as plugins extending WP_REST_Controller repeat them; WordPress core's own file was not found in the index)
    refuse more as ``rest_invalid_param`` with 400."""
    answer = raw.get("/orders", params={"per_page": 101})
    assert (answer.status_code, answer.json()["code"]) == (400, "rest_invalid_param")


def test_a_refund_above_what_the_order_has_left_is_refused(raw, order):
    """wc_create_refund: ``if ( 0 > $args['amount'] || $args['amount'] > $remaining_refund_amount ) { throw new
    Exception( __( 'Invalid refund amount.', 'woocommerce' ) ); }``, which the controller turns into
    ``new WP_Error( 'woocommerce_rest_cannot_create_order_refund', $refund->get_error_message(), 500 )``."""
    total = raw.get(f"/orders/{order.channel_order_id}").json()["total"]
    ok = _refund(raw, order.channel_order_id, {"amount": "10.00", "api_refund": False})
    assert ok.status_code == 201
    answer = _refund(raw, order.channel_order_id, {"amount": total, "api_refund": False})
    assert answer.status_code == 500
    assert answer.json() == {"code": "woocommerce_rest_cannot_create_order_refund", "message": "Invalid refund amount.",
                             "data": {"status": 500}}


def test_a_negative_amount_is_refused_before_the_refund_is_made(raw, order):
    """class-wc-rest-order-refunds-controller.php: ``if ( 0 > $request['amount'] ) { return new WP_Error(
    'woocommerce_rest_invalid_order_refund', __( 'Refund amount must be greater than zero.', 'woocommerce' ),
    400 ); }``."""
    answer = _refund(raw, order.channel_order_id, {"amount": "-1.00"})
    assert (answer.status_code, answer.json()["code"]) == (400, "woocommerce_rest_invalid_order_refund")
    assert raw.get(f"/orders/{order.channel_order_id}/refunds").json() == []


def test_a_line_quantity_above_what_is_left_is_refused(raw, order):
    """DataUtils::validate_line_items: ``if ( $item->get_quantity() < $line_item['quantity'] ) { return new WP_Error(
    'invalid_line_item', sprintf( __( 'Line item quantity cannot be greater than the item quantity (%s).' ...``,
    prefixed ``woocommerce_rest_`` at the v3 boundary (prefix_error_code). The emulator compares with what is left
    of the item after earlier refunds."""
    mug = order.line_for_sku("SP-MUG-01")
    first = _refund(raw, order.channel_order_id, {"api_refund": False, "line_items": [
        {"id": int(mug.line_id), "quantity": 2, "refund_total": "29.00"}]})
    assert first.status_code == 201
    again = _refund(raw, order.channel_order_id, {"api_refund": False, "line_items": [
        {"id": int(mug.line_id), "quantity": 1, "refund_total": "14.50"}]})
    assert again.status_code == 400
    assert again.json()["code"] == "woocommerce_rest_invalid_line_item"
    assert "cannot be greater than the item quantity (0)" in again.json()["message"]


def test_without_an_amount_the_refund_is_its_items_totals_and_taxes(raw, order):
    """RestApiUtil::adjust_create_refund_request_parameters: "It also calculates the amount if missing" from
    "All line items have a "refund_total" field ... All values inside "refund_tax"", converting ``quantity`` to
    ``qty`` and ``refund_tax`` [{id, refund_total}] to {rate id: amount}."""
    mug = order.line_for_sku("SP-MUG-01")
    made = _refund(raw, order.channel_order_id, {"api_refund": False, "line_items": [
        {"id": int(mug.line_id), "quantity": 1, "refund_total": "14.50",
         "refund_tax": [{"id": 1, "refund_total": "1.16"}]}]}).json()
    assert made["amount"] == "15.66"
    item = made["line_items"][0]
    assert (item["quantity"], item["total"], item["total_tax"]) == (-1, "-14.50", "-1.16")
    assert item["taxes"][0]["id"] == 1
    assert {"key": "_refunded_item_id", "value": mug.line_id}.items() <= item["meta_data"][0].items()


def test_api_refund_defaults_to_true_and_needs_a_gateway_that_refunds(raw, order):
    """adjust_create_refund_request_parameters: ``if ( ! is_bool( $request['api_refund'] ) ) { $request['api_refund']
    = true; }``; wc_refund_payment: ``if ( ! $gateway->supports( 'refunds' ) ) { throw new Exception( __( 'The
    payment gateway for this order does not support automatic refunds.', 'woocommerce' ) ); }`` and the refund is
    deleted (``$refund->delete(); return $result;``)."""
    answer = _refund(raw, order.channel_order_id, {"amount": "1.00"})
    assert answer.status_code == 500
    assert answer.json()["message"] == "The payment gateway for this order does not support automatic refunds."
    assert raw.get(f"/orders/{order.channel_order_id}/refunds").json() == []
    manual = _refund(raw, order.channel_order_id, {"amount": "1.00", "api_refund": False}).json()
    assert manual["refunded_payment"] is False


def test_items_not_on_the_order_are_skipped(raw, order):
    """wc_create_refund walks the order's items: ``foreach ( $items as $item_id => $item ) { if ( ! isset(
    $args['line_items'][ $item_id ] ) ) { continue; }``, so an id that is not one of them refunds nothing."""
    made = _refund(raw, order.channel_order_id, {"amount": "1.00", "api_refund": False, "line_items": [
        {"id": 424242, "quantity": 1, "refund_total": "1.00"}]}).json()
    assert made["line_items"] == [] and made["amount"] == "1.00"


def test_shipping_is_refunded_as_its_own_item(raw, order):
    """wc_create_refund: ``$items = $order->get_items( array( 'line_item', 'fee', 'shipping' ) );``: a shipping line's
    id in ``line_items`` refunds shipping; order refund docs list ``shipping_lines`` on the refund."""
    ship = raw.get(f"/orders/{order.channel_order_id}").json()["shipping_lines"][0]
    made = _refund(raw, order.channel_order_id, {"api_refund": False, "line_items": [
        {"id": ship["id"], "refund_total": "5.99", "refund_tax": [{"id": 1, "refund_total": "0.48"}]}]}).json()
    assert made["amount"] == "6.47" and made["line_items"] == []
    assert (made["shipping_lines"][0]["total"], made["shipping_lines"][0]["total_tax"]) == ("-5.99", "-0.48")


def test_an_order_item_needs_what_the_controller_requires(raw):
    """class-wc-rest-orders-v2-controller.php: prepare_shipping_lines "Shipping method ID is required.",
    prepare_fee_lines 'woocommerce_rest_invalid_fee_item' "Fee name is required.", prepare_coupon_lines
    'woocommerce_rest_invalid_coupon_coupon' "Coupon code is required." (400 each)."""
    for body, code in (({"shipping_lines": [{"total": "1.00"}]}, "woocommerce_rest_invalid_shipping_item"),
                       ({"fee_lines": [{"total": "1.00"}]}, "woocommerce_rest_invalid_fee_item"),
                       ({"coupon_lines": [{"code": " "}]}, "woocommerce_rest_invalid_coupon_coupon")):
        answer = raw.post("/orders", json=body)
        assert (answer.status_code, answer.json()["code"]) == (400, code)


def test_a_fully_refunded_order_is_marked_refunded(raw, order):
    """wc_create_refund: when nothing is left to refund, ``$parent_status = apply_filters(
    'woocommerce_order_fully_refunded_status', OrderStatus::REFUNDED, ...);
    $order->update_status( $parent_status )``."""
    total = raw.get(f"/orders/{order.channel_order_id}").json()["total"]
    _refund(raw, order.channel_order_id, {"amount": total, "api_refund": False})
    assert raw.get(f"/orders/{order.channel_order_id}").json()["status"] == "refunded"
