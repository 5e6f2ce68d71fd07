"""Tab-separated report documents reach cassettes and reports without the buyer's personal data.

The column names are Amazon's own:

- SP-API "Order reports attributes" (developer-docs.amazon.com/sp-api/docs/order-reports-attributes),
  GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING: "order-id, order-item-id, purchase-date, payments-date,
  reporting-date, promise-date, days-past-promise, buyer-email, buyer-phone-number, sku, product-name,
  quantity-purchased, quantity-shipped, quantity-to-ship, ship-service-level, recipient-name,
  ship-address-1, ship-address-2, ship-address-3, ship-city, ship-state, ship-postal-code, ship-country,
  is-business-order, purchase-order-number, price-designation, is-prime";
- Seller Central help, Order Report fields (sellercentral.amazon.co.jp/gp/help/external/help.html?itemID=201648780):
  "buyer-email | Buyer's email address", "buyer-name | Buyer's full name. | Joe Smith",
  "buyer-phone-number | Buyer's phone number";
- the settlement flat file V2 (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2) header as the committed cassettes
  hold it (``cassettes/amazon_settlement/``), which names no person.

``ship-phone-number`` and the ``bill-*`` columns (bill-address-1, bill-city, bill-postal-code) were not
found in the stored Amazon pages; the rule reads them as a party's address columns all the same.
"""

from __future__ import annotations

import gzip
import json
from typing import Iterator
from unittest import mock

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox._server import serve
from syncproof.recording import Pseudonymiser, Scrubber
from syncproof.recording._format import CassetteFile, dump_cassette
from syncproof.recording._record import CassetteRecorder
from syncproof.recording._tabular import personal_columns
from syncproof.report import sanitize

ORDER_REPORT_COLUMNS = ["order-id", "order-item-id", "purchase-date", "payments-date", "buyer-email", "buyer-name",
                        "buyer-phone-number", "sku", "product-name", "quantity-purchased", "ship-service-level",
                        "recipient-name", "ship-address-1", "ship-address-2", "ship-address-3", "ship-city",
                        "ship-state", "ship-postal-code", "ship-country", "ship-phone-number", "is-prime"]
PERSONAL = {"buyer-email", "buyer-name", "buyer-phone-number", "recipient-name", "ship-address-1", "ship-address-2",
            "ship-address-3", "ship-city", "ship-postal-code", "ship-phone-number"}
BUYER = {"buyer-email": "wilhelmina.oyelaran@post.example", "buyer-name": "Wilhelmina Oyelaran",
         "buyer-phone-number": "3236612304", "recipient-name": "Wilhelmina Oyelaran",
         "ship-address-1": "4183 Tamarack Turn St NE", "ship-address-2": "Apt 12", "ship-address-3": "c/o Reception",
         "ship-city": "Grand Rapids", "ship-postal-code": "49525-1967", "ship-phone-number": "6163372879"}
OTHER = {"order-id": "113-2601815-9083016", "order-item-id": "61318609139099",
         "purchase-date": "2026-10-12T20:40:55+00:00", "payments-date": "2026-10-12T20:41:02+00:00",
         "sku": "SP-MUG-01", "product-name": "Enamel mug, 350 ml",
         "quantity-purchased": "3", "ship-service-level": "Standard", "ship-state": "MI", "ship-country": "US",
         "is-prime": "false"}


def order_report(line_end: str = "\r\n") -> bytes:
    row = {**OTHER, **BUYER}
    lines = ["\t".join(ORDER_REPORT_COLUMNS), "\t".join(row[c] for c in ORDER_REPORT_COLUMNS),
             "\t".join("" if c in PERSONAL else row[c] for c in ORDER_REPORT_COLUMNS)]  # a row with no address
    return (line_end.join(lines) + line_end).encode("utf-8")


SETTLEMENT_V2 = ("settlement-id\tsettlement-start-date\tsettlement-end-date\tdeposit-date\ttotal-amount\tcurrency\t"
                 "transaction-type\torder-id\tmerchant-order-id\tadjustment-id\tshipment-id\tmarketplace-name\t"
                 "amount-type\tamount-description\tamount\tfulfillment-id\tposted-date\tposted-date-time\t"
                 "order-item-code\tmerchant-order-item-id\tmerchant-adjustment-item-id\tsku\tquantity-purchased\t"
                 "promotion-id\n"
                 "1840761872\t2026-10-06 08:00:00 UTC\t2026-10-20 08:00:00 UTC\t2026-10-22 08:00:00 UTC\t1315.33\tUSD"
                 + "\t" * 18 + "\n"
                 "1840761872\t\t\t\t\t\tOrder\t113-2601815-9083016\t\t\tS081347767\tAmazon.com\tItemPrice\tPrincipal\t"
                 "43.50\tAFN\t2026-10-12\t2026-10-12 20:40:55 UTC\t61318609139099\t\t\tSP-MUG-01\t3\t\n"
                 ).encode("utf-8")


def scrubber(seed: int = 7) -> Scrubber:
    return Scrubber(personal=Pseudonymiser(seed))


def rows(document: bytes) -> list[list[str]]:
    return [line.split("\t") for line in document.decode("utf-8").split("\r\n")]


def test_the_personal_columns_are_found_by_their_names_and_no_other():
    found = personal_columns(ORDER_REPORT_COLUMNS)
    assert {ORDER_REPORT_COLUMNS[i] for i in found} == PERSONAL
    assert found[ORDER_REPORT_COLUMNS.index("buyer-email")] == "email"
    assert found[ORDER_REPORT_COLUMNS.index("ship-city")] == "city"
    assert personal_columns(SETTLEMENT_V2.decode().split("\n")[0].split("\t")) == {}  # marketplace-name, sku...
    assert personal_columns(["bill-name", "bill-address-1", "bill-city", "bill-postal-code", "bill-state"]) == {
        0: "name", 1: "street", 2: "city", 3: "postcode"}


def test_an_order_report_loses_its_personal_columns_and_keeps_every_other_byte():
    document = order_report()
    scrubbed = scrubber().body(document, "text/plain")
    text = scrubbed.decode("utf-8")
    assert [value for value in BUYER.values() if value in text] == []
    before, after = rows(document), rows(scrubbed)
    assert [len(row) for row in after] == [len(row) for row in before]
    for index, column in enumerate(ORDER_REPORT_COLUMNS):
        kept = [row[index] for row in after[1:-1]]
        if column in PERSONAL:
            assert kept[0] and kept[0] != before[1][index] and kept[1] == ""  # faked; an empty cell stays empty
        else:
            assert kept == [row[index] for row in before[1:-1]]
    assert after[0] == before[0] and text.endswith("\r\n")


def test_the_fakes_are_the_placeholders_a_json_field_gets_and_the_same_on_every_recording():
    first, again = scrubber(), scrubber()
    document = rows(first.body(order_report(), "text/plain"))
    assert rows(again.body(order_report(), "text/plain")) == document
    # the same buyer seen first in a JSON field gets the same fake: one scheme for fields and columns
    by_field = scrubber().value({"BuyerInfo": {"BuyerEmail": BUYER["buyer-email"]}})
    assert document[1][ORDER_REPORT_COLUMNS.index("buyer-email")] == by_field["BuyerInfo"]["BuyerEmail"]
    # what the document taught is scrubbed elsewhere in the cassette: the name in a later note
    fake_name = document[1][ORDER_REPORT_COLUMNS.index("buyer-name")]
    assert fake_name != BUYER["buyer-name"]
    assert first.text(f"Refund for {BUYER['buyer-name']}") == f"Refund for {fake_name}"


def test_a_gzipped_order_report_is_scrubbed_inside():
    scrubbed = scrubber().body(gzip.compress(order_report()), "application/octet-stream")
    content = gzip.decompress(scrubbed).decode("utf-8")
    assert [value for value in BUYER.values() if value in content] == []
    assert OTHER["product-name"] in content and content.count("\t") == order_report().decode().count("\t")


def test_a_settlement_flat_file_is_kept_byte_for_byte():
    s = scrubber()
    s.value({"BuyerName": "Wilhelmina Oyelaran"})  # a learned name the file does not hold changes nothing
    assert s.body(SETTLEMENT_V2, "text/plain") == SETTLEMENT_V2
    zipped = gzip.compress(SETTLEMENT_V2, mtime=1_700_000_000)
    assert s.body(zipped, "application/octet-stream") is zipped  # the bytes as Amazon served them


def test_report_evidence_holding_a_document_is_pseudonymised(pseudonymised_evidence):
    with pseudonymised_evidence(3):
        seen = sanitize.scrub({"response_body": order_report().decode("utf-8"),
                               "note": f"refund for {BUYER['buyer-name']}"})
    text = repr(seen)
    assert [value for value in BUYER.values() if value in text] == [], text
    assert OTHER["order-id"] in seen["response_body"]


# --- over real HTTP, as a recorded run keeps it -------------------------------------------------------

async def _report(request: Request) -> Response:
    body = order_report()
    if request.query_params.get("compression") == "GZIP":  # as getReportDocument's compressionAlgorithm GZIP
        return Response(gzip.compress(body), media_type="application/octet-stream")
    return Response(body, media_type="text/plain; charset=UTF-8")


async def _order(request: Request) -> Response:
    return Response(json.dumps({"AmazonOrderId": OTHER["order-id"],
                                "Notes": f"gift for {BUYER['buyer-name']}"}), media_type="application/json")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    routes = [Route("/document", _report, methods=["GET"]), Route("/order", _order, methods=["GET"])]
    with serve(Starlette(routes=routes), name="report-documents") as running:
        yield running.url


@pytest.mark.integration
@pytest.mark.parametrize("query", ["", "?compression=GZIP"])
def test_a_recorded_order_report_reaches_the_cassette_without_the_buyer(server, query):
    recorder = CassetteRecorder(Scrubber({server: "http://amazon.sandbox.syncproof"}, {}, Pseudonymiser(seed=7)))
    with mock.patch.object(httpx.HTTPTransport, "handle_request", recorder.handler()), httpx.Client() as client:
        served = client.get(server + "/document" + query).content
        client.get(server + "/order")
    assert BUYER["buyer-email"].encode() in (gzip.decompress(served) if query else served)  # the client read it all
    [document, order] = recorder.interactions
    body = document.response.body
    content = gzip.decompress(body) if query else body
    cassette = dump_cassette(CassetteFile("report.yaml", recorder.interactions)) + content.decode("utf-8")
    assert [value for value in BUYER.values() if value in cassette] == []
    assert OTHER["sku"] in content.decode("utf-8")
    fake_name = rows(content)[1][ORDER_REPORT_COLUMNS.index("buyer-name")]
    assert json.loads(order.response.body)["Notes"] == f"gift for {fake_name}"  # learned from the document
