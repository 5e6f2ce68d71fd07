"""Which keys of a body hold personal data, and what kind of fake value each gets.

    >>> personal_kind("BuyerEmail", None), personal_kind("name", "shippingAddress"), personal_kind("name", None)
    ('email', 'name', None)
    >>> column_kind("ship-postal-code"), column_kind("ship-service-level"), column_kind("cpf")
    ('postcode', None, 'tax_id')
    >>> personal_kind("Value", "TaxClassifications"), personal_kind("seller-vat-number", None)
    ('tax_id', None)

Keys are compared normalised (lower case, no ``_``, ``-`` or space: ``Ship Address 1`` is
``ship-address-1``). A tab-separated document's column (:mod:`._tabular`) is personal when its name
is a personal key (``buyer-email``, ``recipient-name``), or a party's word (``ship``, ``bill``,
``billing``, ``buyer``, ``recipient``) followed by a key that is personal inside that party's address
(``ship-city``, ``bill-address-1``, ``buyer-phone-number``, ``bill-name``).

A buyer's tax identifier is personal too (kind ``tax_id``), under the names the vendors give it:

- SP-API Orders v0 (``ordersV0.json``): ``TaxClassification.Value``, "The buyer's tax identifier", in the
  ``TaxClassifications`` of ``BuyerInfo.BuyerTaxInfo`` (Brazil, Mexico, India business orders; the model
  describes the ``Value`` of a ``MarketplaceTaxInfo`` classification the same way, so it is scrubbed as
  well), and ``BuyerTaxInformation.BuyerTaxRegistrationId``, "Business buyer's tax registration ID", with
  ``BuyerBusinessAddress``, "Business buyer's address" (Turkey);
- SP-API report attributes: the ``cpf`` column of ``GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL``
  (Order Tracking reports attributes) and ``buyer-vat-number`` of ``GET_FLAT_FILE_VAT_INVOICE_DATA_REPORT``
  (Invoice Data reports attributes; its ``seller-vat-number`` is the seller's own and stays);
- eBay Fulfillment API ``getOrder``: ``buyer.taxIdentifier.taxpayerId``, "the unique tax ID associated with
  the buyer" (Italy, Spain).
"""

from __future__ import annotations

import functools
import re

__all__ = ["personal_kind", "column_kind"]


def _norm(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "").replace(" ", "")


#: Personal keys and the kind of fake value they get (keys normalised: lower case, no _, - or space).
PERSONAL_KEYS: dict[str, str] = {
    **dict.fromkeys(("email", "buyeremail", "contactemail", "customeremail", "emailaddress"), "email"),
    **dict.fromkeys(("phone", "phonenumber", "buyerphone", "mobile", "mobilephone", "homephone"), "phone"),
    **dict.fromkeys(("buyername", "recipientname", "customername", "shiptoname", "billtoname",
                     "addressee", "attention"), "name"),
    **dict.fromkeys(("firstname", "givenname"), "first_name"),
    **dict.fromkeys(("lastname", "familyname", "surname"), "last_name"),
    **dict.fromkeys(("address1", "address2", "address3", "addressline1", "addressline2", "addressline3",
                     "addr1", "addr2", "addr3", "street", "streetaddress"), "street"),
    **dict.fromkeys(("city",), "city"),
    **dict.fromkeys(("zip", "zipcode", "postalcode", "postcode"), "postcode"),
    **dict.fromkeys(("cpf", "buyervatnumber", "buyertaxregistrationid", "taxpayerid"), "tax_id"),
    "buyerbusinessaddress": "street",
}
#: Keys that are personal only inside a container about a person or an address (``fullName`` of an
#: eBay ``shipTo`` or of the buyer's ``buyerRegistrationAddress``, "Buyer's contact information that includes
#: the buyer's name, email, phone number, and address" in the Fulfillment API's Buyer type; a marketplace
#: buyer's ``username``), and the kind of fake value they get.
CONTAINED_KEYS: dict[str, str] = {"name": "name", "displayname": "name", "fullname": "name", "username": "username"}
PERSON_CONTAINERS = frozenset({"customer", "shippingaddress", "billingaddress", "buyerinfo", "buyer",
                               "defaultaddress", "address", "shipto", "billto", "addressbookaddress",
                               "recipient", "addresses", "buyerregistrationaddress"})
#: Keys that are a tax identifier only inside a list of tax classifications (SP-API ``TaxClassification``'s
#: ``Name`` is the type of tax, ``CPF`` or ``CNPJ``; its ``Value`` the buyer's identifier).
TAX_ID_CONTAINERS: dict[str, frozenset[str]] = {"taxclassifications": frozenset({"value"})}


#: NetSuite references to a customer (``"entity": {"id": "201", "refName": "Ada Lovelace"}``).
REFERENCE_NAME_KEYS = frozenset({"refname", "altname", "entityid"})
CUSTOMER_REFERENCES = frozenset({"entity", "customer"})


@functools.lru_cache(maxsize=4096)
def personal_kind(key: str, parent: str | None) -> str | None:
    """The kind of personal value stored under ``key`` (inside ``parent``), or None."""
    norm = _norm(key)
    if norm in PERSONAL_KEYS:
        return PERSONAL_KEYS[norm]
    container = _norm(parent) if parent is not None else None
    if norm in CONTAINED_KEYS and container in PERSON_CONTAINERS:
        return CONTAINED_KEYS[norm]
    if norm in REFERENCE_NAME_KEYS and container in CUSTOMER_REFERENCES:
        return "name"
    if container is not None and norm in TAX_ID_CONTAINERS.get(container, ()):
        return "tax_id"
    return None


#: the first word of a column about a party to an order (short or in full: ``bill-city``, ``billing-city``), and
#: the container its other words are read in
_PARTIES = {"ship": "shipto", "shipping": "shipto", "bill": "billto", "billing": "billto", "buyer": "buyer",
            "recipient": "recipient"}
_FIRST_WORD = re.compile(r"[-_ ]")


@functools.lru_cache(maxsize=1024)
def column_kind(name: str) -> str | None:
    """The kind of personal value a tab-separated document's column named ``name`` holds, or None."""
    name = name.strip().lstrip("\ufeff")
    kind = personal_kind(name, None)
    if kind is not None:
        return kind
    words = _FIRST_WORD.split(name, maxsplit=1)
    container = _PARTIES.get(words[0].lower()) if len(words) == 2 else None
    return personal_kind(words[1], container) if container is not None and words[1] else None
