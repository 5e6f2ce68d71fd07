"""A report document's rows and cells are read as a tab-separated reader reads them, so that a buyer's cells are
found under their column whatever else a row holds.

Rows end at a line break (``\\r\\n``, ``\\n`` or ``\\r``) and nowhere else: a product name or a gift message may
hold a character that :meth:`str.splitlines` also splits at (form feed, U+2028 LINE SEPARATOR, U+0085 NEXT LINE,
the file and group separators), and a row split there puts the buyer's cells under other columns.
"""

from __future__ import annotations

import pytest

from syncproof.recording import Pseudonymiser, Scrubber

COLUMNS = ["order-id", "product-name", "buyer-name", "ship-address-1", "ship-city", "ship-state"]
BUYER = {"buyer-name": "Wilhelmina Oyelaran", "ship-address-1": "4183 Tamarack Turn St NE",
         "ship-city": "Grand Rapids"}


def document(product_name: str, line_end: str = "\r\n") -> str:
    row = {"order-id": "113-2601815-9083016", "product-name": product_name, "ship-state": "MI", **BUYER}
    return line_end.join(["\t".join(COLUMNS), "\t".join(row[c] for c in COLUMNS)]) + line_end


def scrubbed(text: str) -> str:
    return Scrubber(personal=Pseudonymiser(seed=7)).body(text.encode("utf-8"), "text/plain").decode("utf-8")


@pytest.mark.parametrize("character", ["\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
def test_a_cell_holding_a_character_splitlines_splits_at_leaves_the_row_whole(character):
    product_name = f"Enamel mug{character}350 ml"
    text = scrubbed(document(product_name))
    assert [value for value in BUYER.values() if value in text] == []
    row = text.split("\r\n")[1].split("\t")
    assert row[COLUMNS.index("product-name")] == product_name and row[COLUMNS.index("ship-state")] == "MI"


@pytest.mark.parametrize("line_end", ["\r\n", "\n", "\r"])
def test_every_line_ending_still_ends_a_row(line_end):
    text = scrubbed(document("Enamel mug", line_end))
    assert [value for value in BUYER.values() if value in text] == []
    assert text.endswith("\tMI" + line_end) and text.count(line_end) == 2


# --- quoted cells, as a spreadsheet writes a tab-separated file ----------------------------------------

def test_a_quoted_cell_holding_a_tab_or_a_line_break_is_one_cell():
    for product_name in ('"Enamel mug\t350 ml"', '"Enamel mug\r\n350 ml"', '"Enamel ""camp"" mug"'):
        text = scrubbed(document(product_name))
        assert [value for value in BUYER.values() if value in text] == [], product_name
        assert product_name in text and text.endswith("\tMI\r\n")


def test_quoted_names_and_cells_are_read_inside_their_quotes_and_stay_quoted():
    header = "\t".join(f'"{c}"' for c in COLUMNS)
    row = "\t".join(f'"{v}"' for v in ("113-2601815-9083016", "Enamel mug", *BUYER.values(), "MI"))
    text = scrubbed(f"{header}\r\n{row}\r\n")
    assert [value for value in BUYER.values() if value in text] == []
    cells = text.split("\r\n")[1].split("\t")
    assert all(cell.startswith('"') and cell.endswith('"') and len(cell) > 2 for cell in cells)
    assert cells[0] == '"113-2601815-9083016"' and cells[-1] == '"MI"'
    assert text.split("\r\n")[0] == header


def test_a_quote_inside_a_cell_does_not_start_a_quoted_cell():
    text = scrubbed(document('12" platter'))
    assert [value for value in BUYER.values() if value in text] == []
    assert '\t12" platter\t' in text


# --- column names as a person writes them ------------------------------------------------------------

def test_column_names_in_words_are_the_same_columns():
    from syncproof.recording._tabular import personal_columns

    spelled = ["Order Id", "Buyer Name", "Buyer Phone Number", "Ship Address 1", "Ship Postal Code", "Ship To Name",
               "BUYER_EMAIL", " ship-city ", "Ship State"]
    kinds = {spelled[i]: kind for i, kind in personal_columns(spelled).items()}
    assert kinds == {"Buyer Name": "name", "Buyer Phone Number": "phone", "Ship Address 1": "street",
                     "Ship Postal Code": "postcode", "Ship To Name": "name", "BUYER_EMAIL": "email",
                     " ship-city ": "city"}


# --- a document held in a JSON field -------------------------------------------------------------------

def test_a_document_in_a_json_field_is_scrubbed_by_column_as_in_a_body_of_its_own(pseudonymised_evidence):
    import json

    from syncproof.report import sanitize

    body = json.dumps({"payload": {"document": document("Enamel mug", "\n")}}).encode("utf-8")
    recorded = Scrubber(personal=Pseudonymiser(seed=7)).body(body, "application/json").decode("utf-8")
    with pseudonymised_evidence(3):
        seen = sanitize.scrub({"response_body": body.decode("utf-8")})["response_body"]
    for text in (recorded, seen):
        assert [value for value in BUYER.values() if value in text] == [], text
        assert "Enamel mug" in text
