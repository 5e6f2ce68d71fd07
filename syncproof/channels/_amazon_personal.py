"""Where Amazon's Selling Partner API formats hold a buyer's personal data (the scrubbing rules of :data:`PERSONAL`).

- SP-API Orders v0 (``ordersV0.json``): ``TaxClassification.Value``, "The buyer's tax identifier", in the
  ``TaxClassifications`` of ``BuyerInfo.BuyerTaxInfo`` (Brazil, Mexico, India business orders; the model
  describes the ``Value`` of a ``MarketplaceTaxInfo`` classification the same way, so it is scrubbed as
  well), and ``BuyerTaxInformation.BuyerTaxRegistrationId``, "Business buyer's tax registration ID", with
  ``BuyerBusinessAddress``, "Business buyer's address" (Turkey); the ``BuyerName`` of a ``BuyerInfo``;
- SP-API report attributes: the ``cpf`` column of ``GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL``
  (Order Tracking reports attributes) and ``buyer-vat-number`` of ``GET_FLAT_FILE_VAT_INVOICE_DATA_REPORT``
  (Invoice Data reports attributes; its ``seller-vat-number`` is the seller's own and stays).
"""

from __future__ import annotations

from ._spec import PersonalFields

__all__ = ["PERSONAL"]

PERSONAL = PersonalFields(
    keys={"BuyerTaxRegistrationId": "tax_id", "BuyerBusinessAddress": "street",
          "cpf": "tax_id", "buyer-vat-number": "tax_id"},
    person_containers=frozenset({"BuyerInfo"}),
    contained={"TaxClassifications": {"Value": "tax_id"}},
)
