"""The rules the eBay emulator enforces, each with the source it comes from, over real loopback HTTP.

Sources: eBay's published OpenAPI contracts, ``sell_fulfillment_v1_oas3.json`` (Fulfillment API
v1.11.0) and ``sell_finances_v1_oas3.yaml`` (Finances API v1.9.0), the API reference pages on
developer.ebay.com, and Oracle's NetSuite Connector help.
"""

from __future__ import annotations

import httpx
import pytest

from ._helpers import usd


def _get(server, token, path, **params):
    return httpx.get(server.url + path, params=params, headers={"Authorization": f"Bearer {token}"})


def _refund(server, token, order_id, body):
    return httpx.post(f"{server.url}/sell/fulfillment/v1/order/{order_id}/issue_refund", json=body,
                      headers={"Authorization": f"Bearer {token}"})


def _error_id(response) -> int:
    return int(response.json()["errors"][0]["errorId"])


# --- identity ---------------------------------------------------------------------------------------

def test_the_token_request_takes_basic_credentials_and_the_refresh_token_grant(server, backend):
    """developer.ebay.com "Using a refresh token to update a User access token": "Authorization – The word Basic
    followed by your Base64-encoded OAuth credentials (<client_id>:<client_secret>)", payload ``grant_type``
    ``refresh_token``, ``refresh_token`` and ``scope``; endpoint ``POST .../identity/v1/oauth2/token``."""
    k = backend.keyset
    url = server.url + "/identity/v1/oauth2/token"
    form = {"grant_type": "refresh_token", "refresh_token": k.refresh_token,
            "scope": " ".join(k.scopes)}
    ok = httpx.post(url, auth=(k.client_id, k.client_secret), data=form)
    assert ok.status_code == 200 and ok.json()["token_type"] == "User Access Token"
    assert ok.json()["expires_in"] == 7200
    no_basic = httpx.post(url, data={**form, "client_id": k.client_id, "client_secret": k.client_secret})
    assert no_basic.status_code == 401 and no_basic.json()["error"] == "invalid_client"
    wrong = httpx.post(url, auth=(k.client_id, k.client_secret), data={**form, "refresh_token": "v^1.1#other"})
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"


def test_a_scope_beyond_the_consent_is_refused(server, backend):
    """developer.ebay.com refresh token request: the scope list "must be equal to or a subset of the scopes
    granted" in the original consent; asking for more is ``invalid_scope``."""
    k = backend.keyset
    answer = httpx.post(server.url + "/identity/v1/oauth2/token", auth=(k.client_id, k.client_secret),
                        data={"grant_type": "refresh_token", "refresh_token": k.refresh_token,
                              "scope": "https://api.ebay.com/oauth/api_scope/sell.inventory"})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_scope"


def test_sell_api_calls_need_a_bearer_token_with_the_methods_scope(server, backend):
    """Contract security: getOrders needs ``https://api.ebay.com/oauth/api_scope/sell.fulfillment``,
    getTransactions ``https://api.ebay.com/oauth/api_scope/sell.finances``; no token is HTTP 401."""
    assert httpx.get(server.url + "/sell/fulfillment/v1/order").status_code == 401
    k = backend.keyset
    fulfillment_only = httpx.post(server.url + "/identity/v1/oauth2/token", auth=(k.client_id, k.client_secret),
                                  data={"grant_type": "refresh_token", "refresh_token": k.refresh_token,
                                        "scope": "https://api.ebay.com/oauth/api_scope/sell.fulfillment"})
    token = fulfillment_only.json()["access_token"]
    assert _get(server, token, "/sell/fulfillment/v1/order", filter="creationdate:[2026-01-01T00:00:00.000Z..]",
                ).status_code == 200
    refused = _get(server, token, "/sell/finances/v1/transaction")
    assert refused.status_code == 403 and refused.json()["errors"][0]["errorId"]


# --- getOrders -----------------------------------------------------------------------------------------

def test_get_orders_limit_is_at_most_1000(server, token):
    """sell_fulfillment_v1_oas3.json, GET /order, parameter ``limit``: "Maximum: 1000 Default: 50"; 400 errorId
    31100 "Invalid limit"."""
    assert _get(server, token, "/sell/fulfillment/v1/order", limit="1000").status_code == 200
    refused = _get(server, token, "/sell/fulfillment/v1/order", limit="1001")
    assert refused.status_code == 400 and _error_id(refused) == 31100
    assert _get(server, token, "/sell/fulfillment/v1/order").json()["limit"] == 50


def test_get_orders_filter_syntax(server, token, order):
    """sell_fulfillment_v1_oas3.json, GET /order, ``filter``: "creationdate:[2016-02-21T08:25:43.511Z..] identifies
    orders created on or after the given timestamp"; 30700 "Invalid filter name", 30810 "Invalid date format",
    30840 "Start date should be before end date"."""
    path = "/sell/fulfillment/v1/order"
    created = order.created_at
    found = _get(server, token, path, filter=f"creationdate:[{created}..]").json()
    assert [o["orderId"] for o in found["orders"]] == [order.channel_order_id]
    later = _get(server, token, path, filter="creationdate:[2999-01-01T00:00:00.000Z..]").json()
    assert later["orders"] == [] and later["total"] == 0
    assert _error_id(_get(server, token, path, filter=f"createddate:[{created}..]")) == 30700
    assert _error_id(_get(server, token, path, filter="creationdate:[2026-13-45..]")) == 30810
    assert _error_id(_get(server, token, path, filter="lastmodifieddate:[2026-02-01T00:00:00.000Z.."
                                                           "2026-01-01T00:00:00.000Z]")) == 30840


def test_get_orders_by_ids_takes_at_most_50(server, token, order):
    """sell_fulfillment_v1_oas3.json, GET /order, ``orderIds``: "A comma-separated list of the unique identifiers of
    the orders to retrieve (maximum 50)"; 30900 "Exceeded maximum number of order IDs"."""
    ids = ",".join([order.channel_order_id] + [f"00-00000-{n:05d}" for n in range(49)])
    assert [o["orderId"] for o in _get(server, token, "/sell/fulfillment/v1/order", orderIds=ids).json()["orders"]] \
        == [order.channel_order_id]
    refused = _get(server, token, "/sell/fulfillment/v1/order", orderIds=ids + ",00-00000-99999")
    assert refused.status_code == 400 and _error_id(refused) == 30900


def test_orders_page_by_limit_and_offset_with_next(server, token, seeding):
    """sell_fulfillment_v1_oas3.json, OrderSearchPagedCollection: ``next`` "is only returned if there is a next page
    of results"; ``offset`` "the number of results skipped", zero-based."""
    from ._helpers import LINES

    for n in range(3):
        seeding.order(LINES[:1], shipping=None, buyer=(f"Buyer {n}", f"b{n}@example.com"), currency="USD",
                      marketplace_id="EBAY_US")
    path, flt = "/sell/fulfillment/v1/order", "creationdate:[2020-01-01T00:00:00.000Z..]"
    first = _get(server, token, path, filter=flt, limit="2").json()
    second = _get(server, token, path, filter=flt, limit="2", offset="2").json()
    assert first["total"] == 3 and len(first["orders"]) == 2 and "next" in first
    assert len(second["orders"]) == 1 and "next" not in second
    assert {o["orderId"] for o in first["orders"]}.isdisjoint(o["orderId"] for o in second["orders"])


# --- issueRefund ---------------------------------------------------------------------------------------

def test_a_refund_needs_a_reason_and_an_amount(server, token, order):
    """sell_fulfillment_v1_oas3.json, POST /order/{order_id}/issue_refund, 400: 34903 "The refund reason must be
    specified.", 34905 "Either orderLevelRefundAmount or refundItems must be specified."."""
    amount = {"value": "1.00", "currency": "USD"}
    assert _error_id(_refund(server, token, order.channel_order_id, {"orderLevelRefundAmount": amount})) == 34903
    assert _error_id(_refund(server, token, order.channel_order_id, {"reasonForRefund": "BUYER_RETURN"})) == 34905


def test_a_refund_amount_is_positive_within_two_decimals_in_the_orders_currency(server, token, order):
    """issue_refund 400: 34907 "The amount value must be positive and within two decimals.", 34909 "The amount
    currency isn't correct."."""
    for value in ("0", "-1.00", "1.005"):
        body = {"reasonForRefund": "OTHER_ADJUSTMENT", "orderLevelRefundAmount": {"value": value, "currency": "USD"}}
        assert _error_id(_refund(server, token, order.channel_order_id, body)) == 34907, value
    body = {"reasonForRefund": "OTHER_ADJUSTMENT", "orderLevelRefundAmount": {"value": "1.00", "currency": "EUR"}}
    assert _error_id(_refund(server, token, order.channel_order_id, body)) == 34909


def test_a_refund_above_what_remains_is_refused(server, token, order):
    """issue_refund 400: 34915 "The refund amount exceeds order amount." The order's 61.55 can be refunded once;
    a line holds what its units, discount and tax come to."""
    tee = order.line_for_sku("SP-TEE-02")
    too_much = {"reasonForRefund": "BUYER_RETURN", "refundItems": [
        {"lineItemId": tee.line_id, "refundAmount": {"value": str(tee.total.amount + 1), "currency": "USD"}}]}
    assert _error_id(_refund(server, token, order.channel_order_id, too_much)) == 34915
    total = str(order.total.rounded().amount)
    whole = {"reasonForRefund": "BUYER_RETURN", "orderLevelRefundAmount": {"value": total, "currency": "USD"}}
    assert _refund(server, token, order.channel_order_id, whole).json()["refundStatus"] == "PENDING"
    again = {"reasonForRefund": "BUYER_RETURN", "orderLevelRefundAmount": {"value": "0.01", "currency": "USD"}}
    assert _error_id(_refund(server, token, order.channel_order_id, again)) == 34915


def test_an_unknown_line_or_order_is_refused(server, token, order):
    """issue_refund: 34914 "Can't find the item in the order.", 34913 "Can not find the order."."""
    body = {"reasonForRefund": "OTHER_ADJUSTMENT", "refundItems": [
        {"lineItemId": "99999999999999", "refundAmount": {"value": "1.00", "currency": "USD"}}]}
    assert _error_id(_refund(server, token, order.channel_order_id, body)) == 34914
    body = {"reasonForRefund": "OTHER_ADJUSTMENT", "orderLevelRefundAmount": {"value": "1.00", "currency": "USD"}}
    assert _error_id(_refund(server, token, "00-00000-00000", body)) == 34913


def test_the_comment_is_limited(server, token, order):
    """issue_refund 400: 34921 "The comment exceeds the length limit, please make sure it doesn't exceed 1000
    characters." (the IssueRefundRequest field itself says "Max Length: 100"; the client sends at most 100)."""
    body = {"reasonForRefund": "OTHER_ADJUSTMENT", "comment": "x" * 1001,
            "orderLevelRefundAmount": {"value": "1.00", "currency": "USD"}}
    assert _error_id(_refund(server, token, order.channel_order_id, body)) == 34921


def test_a_refund_is_pending_when_issued_and_listed_under_its_refund_id(server, token, order, seeding):
    """Refund type: "A successful issueRefund operation should result in a value of PENDING"; OrderRefund.refundId:
    "for line item level refunds, check the lineItems.refunds.refundId field(s) in the getOrder/getOrders
    response"."""
    tee = order.line_for_sku("SP-TEE-02")
    seeding.return_request(order.channel_order_id, {tee.line_id: 1})
    body = {"reasonForRefund": "BUYER_RETURN", "refundItems": [
        {"lineItemId": tee.line_id, "refundAmount": {"value": "23.76", "currency": "USD"}}]}
    answer = _refund(server, token, order.channel_order_id, body).json()
    assert answer["refundStatus"] == "PENDING"
    raw = _get(server, token, f"/sell/fulfillment/v1/order/{order.channel_order_id}").json()
    listed = next(i for i in raw["lineItems"] if i["lineItemId"] == tee.line_id)["refunds"]
    assert [r["refundId"] for r in listed] == [answer["refundId"]]
    assert raw["orderPaymentStatus"] == "PARTIALLY_REFUNDED"


def test_a_refund_without_the_buyers_request_is_an_external_transaction(server, token, order):
    """Oracle, "Refunds and Exchanges in NetSuite Connector": "For eBay, the buyer has to request the refund from their
    account before you issue it from your seller account. If you issue a refund without the buyer's request, it
    shows as an external transaction in the API and NetSuite Connector can't retrieve the refund." The money still
    moves: Finances lists the REFUND, the order's paymentSummary its amount, with no refundId (OrderRefund.refundId:
    "For other refunds, see the refundReferenceId field")."""
    mug = order.line_for_sku("SP-MUG-01")
    body = {"reasonForRefund": "OTHER_ADJUSTMENT", "refundItems": [
        {"lineItemId": mug.line_id, "refundAmount": {"value": "16.41", "currency": "USD"}}]}
    assert _refund(server, token, order.channel_order_id, body).status_code == 200
    raw = _get(server, token, f"/sell/fulfillment/v1/order/{order.channel_order_id}").json()
    assert all(not item["refunds"] for item in raw["lineItems"])
    [entry] = raw["paymentSummary"]["refunds"]
    assert "refundId" not in entry and entry["amount"] == {"value": "16.41", "currency": "USD"}
    finances = _get(server, token, "/sell/finances/v1/transaction",
                    filter="transactionType:{REFUND}").json()["transactions"]
    assert [(t["orderId"], t["amount"]["value"], t["bookingEntry"]) for t in finances] == \
        [(order.channel_order_id, "16.41", "DEBIT")]
    assert finances[0]["transactionId"] == entry["refundReferenceId"]


# --- Finances --------------------------------------------------------------------------------------------

def test_transactions_filter_by_type_and_date_with_limit_at_most_1000(server, token, order):
    """sell_finances_v1_oas3.yaml, GET /transaction: ``filter`` ``transactionType:{SALE}`` and
    ``transactionDate:[2018-10-23T00:00:01.000Z..2018-11-09T00:00:01.000Z]``; ``limit`` "Maximum: 1000 Default: 20";
    400 135003 "The value of pagination is invalid.", 135006 "The value of transaction type filter is invalid."."""
    path = "/sell/finances/v1/transaction"
    sales = _get(server, token, path, filter=f"transactionDate:[{order.created_at}..],transactionType:{{SALE}}")
    assert [t["transactionType"] for t in sales.json()["transactions"]] == ["SALE"]
    assert sales.json()["limit"] == 20
    assert _error_id(_get(server, token, path, limit="1001")) == 135003
    assert _error_id(_get(server, token, path, filter="transactionType:{PAYMENT}")) == 135006
    assert _get(server, token, path, filter="transactionDate:[2999-01-01T00:00:00.000Z..]").status_code == 204


def test_payouts_limit_is_at_most_200(server, token, order, seeding):
    """sell_finances_v1_oas3.yaml, GET /payout, ``limit``: "Maximum: 200 Default: 20"; ``filter``
    ``payoutDate:[..]``, ``payoutStatus:{SUCCEEDED}``."""
    seeding.payout()
    path = "/sell/finances/v1/payout"
    payouts = _get(server, token, path, filter="payoutStatus:{SUCCEEDED}", limit="200").json()["payouts"]
    assert len(payouts) == 1 and payouts[0]["transactionCount"] == 1
    assert _error_id(_get(server, token, path, limit="201")) == 135003


@pytest.mark.parametrize("marketplace,currency", [("EBAY_GB", "GBP"), ("EBAY_DE", "EUR")])
def test_an_order_is_in_its_marketplaces_currency(seeding, client, marketplace, currency):
    """sell_fulfillment_v1_oas3.json, Amount.currency: "Default: The default currency of the eBay marketplace that
    hosts the listing"."""
    from syncproof.model import Money, OrderLine

    line = OrderLine("1", "SP-MUG-01", 1, Money("12.50", currency), Money("2.50", currency), Money("0", currency))
    seeded = seeding.order([line], shipping=None, buyer=("Ada", "ada@example.com"), currency=currency,
                           marketplace_id=marketplace)
    assert client.get_order(seeded["orderId"]).total == Money("15.00", currency)
    assert usd("1") != Money("1", currency)


def test_the_refund_reason_is_one_of_ebays(server, token, order):
    """developer.ebay.com ReasonForRefundEnum: BUYER_CANCEL, SELLER_CANCEL, ITEM_NOT_RECEIVED, BUYER_RETURN,
    ITEM_NOT_AS_DESCRIBED, OTHER_ADJUSTMENT, SHIPPING_DISCOUNT; IssueRefundRequest.reasonForRefund: "One of the
    defined enumeration values in the ReasonForRefundEnum type must be used"."""
    amount = {"value": "1.00", "currency": "USD"}
    refused = _refund(server, token, order.channel_order_id, {"reasonForRefund": "OTHER",
                                                              "orderLevelRefundAmount": amount})
    assert refused.status_code == 400 and _error_id(refused) == 34903
    accepted = _refund(server, token, order.channel_order_id, {"reasonForRefund": "SHIPPING_DISCOUNT",
                                                               "orderLevelRefundAmount": amount})
    assert accepted.status_code == 200


def test_a_transaction_not_yet_paid_out_has_no_payout_id_and_one_paid_out_names_its_payout(server, token, order,
                                                                                           seeding):
    """sell_finances_v1_oas3.yaml, Transaction.payoutId: "This field will not be returned if eBay has not yet begun
    processing the payout for an order"; TransactionStatusEnum (developer.ebay.com): FUNDS_PROCESSING "the monetary
    transaction is being processed", PAYOUT "the corresponding transaction has been paid out to the seller's
    account"; Payout.transactionCount: "the number of monetary transactions (all orders, refunds, and credits,
    etc.) that have occurred with the corresponding payout"."""
    path = "/sell/finances/v1/transaction"
    [sale] = _get(server, token, path, filter="transactionType:{SALE}").json()["transactions"]
    assert "payoutId" not in sale and sale["transactionStatus"] == "FUNDS_PROCESSING"
    payout = seeding.payout()
    [paid] = _get(server, token, path, filter="transactionType:{SALE}").json()["transactions"]
    assert paid["payoutId"] == payout["payoutId"] and paid["transactionStatus"] == "PAYOUT"
    assert payout["transactionCount"] == 1 and payout["amount"] == {"value": paid["amount"]["value"],
                                                                    "currency": "USD"}


def test_a_payout_id_filter_returns_the_payouts_transactions_whole(server, token, order, seeding):
    """sell_finances_v1_oas3.yaml, GET /transaction, ``filter``: "payoutId: the unique identifier of a seller
    payout ... Only monetary transactions involving this Payout ID are returned" (``payoutId:{5000106638}``);
    ``limit``: "If an orderId, transactionId, or payoutId filter is included in the request, any limit value will
    be ignored"."""
    mug = order.line_for_sku("SP-MUG-01")
    body = {"reasonForRefund": "OTHER_ADJUSTMENT", "refundItems": [
        {"lineItemId": mug.line_id, "refundAmount": {"value": "16.41", "currency": "USD"}}]}
    assert _refund(server, token, order.channel_order_id, body).status_code == 200
    payout = seeding.payout()
    path = "/sell/finances/v1/transaction"
    whole = _get(server, token, path, filter=f"payoutId:{{{payout['payoutId']}}}", limit="1").json()
    assert sorted(t["transactionType"] for t in whole["transactions"]) == ["REFUND", "SALE"]
    assert "next" not in whole
    assert _get(server, token, path, filter="payoutId:{0000000000}").status_code == 204


@pytest.mark.parametrize("currency,rate", [("EUR", "1.0825"), ("GBP", "1.2650")])
def test_a_sale_in_another_currency_than_the_payouts_is_converted_with_its_amount_before_conversion(
        server, token, seeding, currency, rate):
    """developer.ebay.com Finances API, Amount: ``convertedFromValue`` "The monetary amount before any conversion is
    performed, in the currency specified by the convertedFromCurrency field ... The value field contains the
    converted amount of this value, in the currency specified by the currency field. This field is only returned
    if/when currency conversion was applied by eBay"; ``exchangeRate`` "the exchange rate used for the monetary
    conversion". The Fulfillment API's Amount.currency: "Default: The default currency of the eBay marketplace that
    hosts the listing", so the order itself stays in its marketplace's currency. The emulator's seller is paid out
    in USD at fixed demo rates (no source gives eBay's rates)."""
    from decimal import Decimal

    from syncproof.model import Money, OrderLine

    line = OrderLine("1", "SP-MUG-01", 1, Money("12.50", currency), Money("2.50", currency), Money("0", currency))
    seeded = seeding.order([line], shipping=None, buyer=("Ada", "ada@example.com"), currency=currency,
                           marketplace_id={"EUR": "EBAY_DE", "GBP": "EBAY_GB"}[currency])
    raw = _get(server, token, f"/sell/fulfillment/v1/order/{seeded['orderId']}").json()
    assert raw["pricingSummary"]["total"] == {"value": "15.00", "currency": currency}
    [sale] = _get(server, token, "/sell/finances/v1/transaction", filter="transactionType:{SALE}").json()[
        "transactions"]
    net = Decimal("15.00") - (Decimal("15.00") * Decimal("0.1325")).quantize(Decimal("0.01"))
    assert sale["amount"]["convertedFromValue"] == str(net) and sale["amount"]["convertedFromCurrency"] == currency
    assert sale["amount"]["currency"] == "USD" and sale["amount"]["exchangeRate"] == rate
    assert sale["amount"]["value"] == str((net * Decimal(rate)).quantize(Decimal("0.01")))
    payout = seeding.payout()
    assert payout["amount"] == {"value": sale["amount"]["value"], "currency": "USD"}


def test_a_payout_not_yet_sent_leaves_its_transactions_processing(server, token, order, seeding):
    """sell_finances_v1_oas3.yaml, Payout.payoutStatusDescription: "INITIATED: Preparing to send SUCCEEDED: Funds
    sent ... RETRYABLE_FAILED: Waiting to retry TERMINAL_FAILED: Payout failed"; lastAttemptedPayoutDate "is only
    returned if a seller payout fails"; Transaction.payoutId is "generated once eBay begins processing the payout",
    and transactionStatus PAYOUT means the transaction "has been paid out to the seller's account"."""
    payout = seeding.payout(status="INITIATED")
    assert payout["payoutStatusDescription"] == "Preparing to send" and "lastAttemptedPayoutDate" not in payout
    [sale] = _get(server, token, "/sell/finances/v1/transaction", filter="transactionType:{SALE}").json()[
        "transactions"]
    assert sale["payoutId"] == payout["payoutId"] and sale["transactionStatus"] == "FUNDS_PROCESSING"
    listed = _get(server, token, "/sell/finances/v1/payout", filter="payoutStatus:{INITIATED}").json()["payouts"]
    assert [p["payoutId"] for p in listed] == [payout["payoutId"]]


def test_get_payout_answers_the_payout_a_transaction_names_and_404_for_an_unknown_id(server, token, order, seeding):
    """developer.ebay.com Finances API, getPayout: ``GET /payout/{payout_Id}`` "retrieves details on a specific
    seller payout. The unique identifier of the payout is passed in as a path parameter at the end of the call URI"
    and answers a ``Payout`` ("the details of one seller payout that is returned with the getPayout or getPayouts
    methods"); an id that names no payout (a split payout's payoutReference) fails with 404 Not Found. The
    errorId of that 404 is the emulator's: no source gives eBay's."""
    payout = seeding.payout(status="INITIATED")
    [sale] = _get(server, token, "/sell/finances/v1/transaction", filter="transactionType:{SALE}").json()[
        "transactions"]
    one = _get(server, token, f"/sell/finances/v1/payout/{sale['payoutId']}")
    assert one.status_code == 200 and one.json() == payout
    [listed] = _get(server, token, "/sell/finances/v1/payout").json()["payouts"]
    assert listed == one.json()
    unknown = _get(server, token, "/sell/finances/v1/payout/0000000000")
    assert unknown.status_code == 404 and unknown.json()["errors"][0]["domain"] == "API_FINANCES"
