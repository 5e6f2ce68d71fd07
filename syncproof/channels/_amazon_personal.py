"""Where Amazon's Selling Partner API formats hold a buyer's personal data (the scrubbing rules of :data:`PERSONAL`).

- SP-API Orders v0 (``ordersV0.json``): ``TaxClassification.Value``, "The buyer's tax identifier", in the
  ``TaxClassifications`` of ``BuyerInfo.BuyerTaxInfo`` (Brazil, Mexico, India business orders; the model
  describes the ``Value`` of a ``MarketplaceTaxInfo`` classification the same way, so it is scrubbed as
  well), and ``BuyerTaxInformation.BuyerTaxRegistrationId``, "Business buyer's tax registration ID", with
  ``BuyerBusinessAddress``, "Business buyer's address" (Turkey); the ``BuyerName`` of a ``BuyerInfo``; the
  business buyer's legal name, ``BuyerTaxInfo.CompanyLegalName``, "The legal name of the company.", and
  ``BuyerTaxInformation.BuyerLegalCompanyName``, "Business buyer's company legal name." (a sole trader's is a
  person's name); the ``AddressExtendedFields`` of an ``Address`` (``ExtendedFields``, "Extended address fields for
  additional address components including the street name or number.", grocery sellers and Brazil shipping
  addresses): ``StreetName``, ``StreetNumber``, ``Complement`` ("The floor number/unit number in the
  building/private house number."), ``Neighborhood``, and its ``GeoCoordinates`` ``Latitude``/``Longitude``, "The
  latitude coordinate of the shipping address" (JSON numbers, faked as numbers); the ``CompanyName`` of the shipping
  address, "The company name of the recipient." (``Address``, "only available for shipping address"; an
  ``OrderAddress``'s ``BuyerCompanyName``, "The company name of the contact buyer.", is 2026-01-01's
  ``buyerCompanyName`` key compared in any case);
- SP-API Orders 2026-01-01 (``orders_2026-01-01.json``): ``Buyer.buyerCompanyName``, "The name of the company or
  organization for a business order."; the ``OrderTaxRegistration`` entries of ``tax.taxRegistrations``, whose
  ``legalName`` is "The legal name associated with the tax registration.", ``taxRegistrationNumber`` "The tax
  registration number that identifies the entity for tax purposes." and ``taxRegistrationAddress`` a
  ``CustomerAddress`` (its ``name``, ``addressLine1``...); the ``name`` of ``recipient.deliveryAddress``, "The full
  name of the person who will receive the delivery at this address.", and the ``companyName`` of a
  ``CustomerAddress`` (the delivery address and a tax registration's address), "The name of the business or
  organization at this address.". The list also holds the ``MERCHANT``'s and
  the ``MARKETPLACE``'s registrations (``entityType``): theirs are pseudonymised too, nothing reads them;
- SP-API report attributes: the ``cpf`` column of ``GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL``
  (Order Tracking reports attributes) and ``buyer-vat-number`` of ``GET_FLAT_FILE_VAT_INVOICE_DATA_REPORT``
  (Invoice Data reports attributes; its ``seller-vat-number`` is the seller's own and stays).
"""

from __future__ import annotations

from ._spec import PersonalFields

__all__ = ["PERSONAL"]

PERSONAL = PersonalFields(
    keys={"BuyerTaxRegistrationId": "tax_id", "BuyerBusinessAddress": "street", "BuyerLegalCompanyName": "name",
          "buyerCompanyName": "name", "cpf": "tax_id", "buyer-vat-number": "tax_id"},
    person_containers=frozenset({"BuyerInfo", "deliveryAddress", "taxRegistrationAddress"}),
    contained={"TaxClassifications": {"Value": "tax_id"}, "BuyerTaxInfo": {"CompanyLegalName": "name"},
               "taxRegistrations": {"legalName": "name", "taxRegistrationNumber": "tax_id"},
               "ExtendedFields": {"StreetName": "street", "StreetNumber": "street_number", "Complement": "street",
                                  "Neighborhood": "city"},
               "GeoCoordinates": {"Latitude": "latitude", "Longitude": "longitude"},
               # a recipient's company: Orders v0 Address.CompanyName, Orders 2026-01-01 CustomerAddress.companyName
               **{address: {"companyName": "name"}
                  for address in ("ShippingAddress", "deliveryAddress", "taxRegistrationAddress")}},
)
