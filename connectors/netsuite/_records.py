"""NetSuite operations in the domain's words, on top of :class:`NetSuiteClient`.

Every create is idempotent: records carry an external id derived from the channel's
own identity (see :mod:`._external_ids`), and are looked up (or upserted) by it before
anything new is made; failures are retried a bounded number of times (see :mod:`._writes`).
Callers pass and receive domain values (:class:`~syncproof.model.Order`,
:class:`~syncproof.model.Refund`, :class:`~syncproof.model.ChainLink`, ids); the REST
bodies are built in :mod:`._bodies` and the SuiteQL lives in :mod:`._queries`.

    books = NetSuiteRecords(client, order_id_field="otherRefNum")
    mug = books.ensure_item("SP-MUG-01", "Stoneware mug", Decimal("14.50"))
    chain = books.created_from_chain(refund_id)   # [ChainLink(...), ...] ending at the sales order
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Mapping, Sequence

from syncproof.model import CatalogueItem, ChainLink, Channel, Money, Order, PostedLine, Refund, TransactionType

from .._exceptions import ConnectorError, NetSuiteError
from . import _bodies as bodies
from . import _queries as queries
from ._bodies import BilledLine, BillingRecord, ItemLine, PostingLine
from ._client import NetSuiteClient
from ._currency_hints import add_currency_hint, enable_multiple_currencies_hint
from ._external_ids import external_ids
from ._writes import WRITE_ATTEMPTS, BoundedWrites

__all__ = ["NetSuiteRecords", "FoundRecord", "ITEM_RECORD", "CHARGE_ITEM_RECORD", "SubsidiaryRefused",
           "CurrencyUnknown", "CurrencyUnresolved"]

ITEM_RECORD = "nonInventorySaleItem"
CHARGE_ITEM_RECORD = "otherChargeSaleItem"
#: the SuiteQL item.itemtype of the item records syncproof makes
ITEM_TYPE_CODES = {ITEM_RECORD: "NonInvtPart", CHARGE_ITEM_RECORD: "OthCharge"}


class SubsidiaryRefused(ConnectorError):
    """NetSuite refused a customer over its subsidiary (a OneWorld account needs one on every customer)."""

    def __init__(self, subsidiary: str, cause: NetSuiteError) -> None:
        if subsidiary:
            message = f"NetSuite refused subsidiary {subsidiary} on a customer: {cause.detail or cause.message}"
            hint = "set [netsuite] subsidiary in syncproof.toml to the internal id of an existing subsidiary"
        else:
            message = (f"NetSuite is a OneWorld account and needs a subsidiary on every customer "
                       f"({cause.detail or cause.message})")
            hint = ("set [netsuite] subsidiary in syncproof.toml to the internal id of the subsidiary the "
                    "channel's customers belong to (Setup > Company > Subsidiaries)")
        super().__init__(message, hint=hint)


class CurrencyUnknown(ConnectorError):
    """A currency the NetSuite account does not have; nothing was written."""

    def __init__(self, currency: str, what: str) -> None:
        super().__init__(f"NetSuite has no currency {currency} for this {what}",
                         hint=add_currency_hint(currency, "syncing"))


class CurrencyUnresolved(ConnectorError):
    """A record read back whose currency is not one of the account's currencies syncproof can read: its amounts
    are in a currency nobody knows, so nothing is compared (another currency must never pass as the expected one)."""

    def __init__(self, what: str, ref: Any) -> None:
        if isinstance(ref, dict) and ref.get("id") not in (None, ""):
            shown = f"currency id {ref['id']}" + (f" ({ref['refName']})" if ref.get("refName") else "")
            super().__init__(f"NetSuite {what} is in {shown}, which is not among the account's currencies "
                             "(SuiteQL table currency): its amounts cannot be checked",
                             hint="give the integration role the Lists > Currency permission (View) and check the "
                                  "currency exists under Lists > Accounting > Currencies")
        else:
            super().__init__(f"NetSuite {what} has no currency: its amounts cannot be checked",
                             hint=enable_multiple_currencies_hint("every transaction carries its currency"))


@dataclass(frozen=True)
class FoundRecord:
    """A transaction found by its external id: its id and the references a resumed sync needs."""

    id: str
    created_from: str | None = None
    entity: str | None = None
    total: Decimal | None = None
    currency: str | None = None

    @classmethod
    def of(cls, record: dict[str, Any], currency: str | None = None) -> "FoundRecord":
        """``currency`` is the ISO code of the record's currency: its reference shows the currency's name."""
        total = record.get("total")
        return cls(id=str(record["id"]), created_from=bodies.ref_id(record.get("createdFrom")),
                   entity=bodies.ref_id(record.get("entity")),
                   total=Decimal(str(total)) if total not in (None, "") else None, currency=currency)


class NetSuiteRecords(BoundedWrites):
    """Items, customers, orders, refunds and settlement postings in a NetSuite account."""

    client: NetSuiteClient

    def __init__(self, client: NetSuiteClient, *, order_id_field: str = "otherRefNum", channel_field: str = "",
                 write_attempts: int = WRITE_ATTEMPTS, run_tag: str = "", subsidiary: str = "") -> None:
        """``subsidiary`` (OneWorld accounts) is the internal id every customer made is filed under;
        NetSuite takes each transaction's subsidiary from its customer. ``channel_field`` is the sales
        order body field naming the channel an order came from (empty: none is written)."""
        super().__init__(client, write_attempts)
        self.client = client
        self.order_id_field = order_id_field
        self.channel_field = channel_field
        self.subsidiary = subsidiary
        self.run_tag = run_tag
        self._item_ids: dict[str, str] = {}
        self._skus: dict[str, str] = {}
        self._item_types: dict[str, str] = {}  # internal id -> SuiteQL item.itemtype
        self._accounts: dict[str, str] | None = None
        self._currencies: dict[str, str] | None = None  # ISO code -> internal id

    # --- writes -----------------------------------------------------------------------------
    def upsert(self, record_type: str, external_id: str, body: dict[str, Any]) -> str:
        """Create or update the record with ``external_id`` (retried: an upsert never doubles)."""
        return self.idempotent_write(f"upsert of {record_type} {external_id}",
                                     lambda: self.client.upsert(record_type, external_id, body))

    def upsert_once(self, record_type: TransactionType, external_id: str, body: dict[str, Any]) -> str:
        """The record with ``external_id`` if it exists, else upserted (a retry never updates it twice)."""
        def lookup() -> str | None:
            found = self.find(record_type, external_id)
            return found.id if found is not None else None
        return self.idempotent_write(f"{record_type.record_type} {external_id}",
                                     lambda: self.client.upsert(record_type.record_type, external_id, body), lookup)

    def memo(self, text: str) -> str:
        """A memo for a record syncproof creates, tagged with the run (live runs) for ``syncproof cleanup``."""
        return f"{text} [syncproof {self.run_tag}]" if self.run_tag else text

    # --- master data ------------------------------------------------------------------------
    def ensure_item(self, sku: str, name: str | None = None, price: Decimal | None = None,
                    *, charge: bool = False) -> str:
        """The internal id of the item whose itemId is ``sku``, creating it when missing.

        ``charge`` makes it an other-charge item (shipping, refund adjustments).
        """
        if sku in self._item_ids:
            return self._item_ids[sku]
        found = self.item_ids([sku])
        if sku in found:
            return found[sku]
        return self._create_item(CatalogueItem(sku, name, price), charge=charge)

    def ensure_items(self, items: Iterable[CatalogueItem]) -> dict[str, str]:
        """SKU -> internal id of each of ``items``, creating the missing ones (as other-charge items those that
        say so, else non-inventory sale items): one SuiteQL query finds them all, then each item not found is
        upserted."""
        items = list(items)
        found = self.item_ids(item.sku for item in items)
        for item in items:
            if item.sku not in found:
                found[item.sku] = self._create_item(item, charge=item.other_charge)
        return {item.sku: found[item.sku] for item in items}

    def _create_item(self, item: CatalogueItem, *, charge: bool = False) -> str:
        body: dict[str, Any] = {"itemId": item.sku, "displayName": item.name or item.sku}
        if item.price is not None:
            body["rate"] = item.price  # a sale item's price (label "Price"); there is no "basePrice" field
        record = CHARGE_ITEM_RECORD if charge else ITEM_RECORD
        item_id = self.upsert(record, f"item-{item.sku}", body)
        self._remember_item(item.sku, item_id, ITEM_TYPE_CODES[record])
        return item_id

    def _remember_item(self, sku: str, item_id: str, item_type: str | None = None) -> None:
        self._item_ids[sku] = item_id
        self._skus[item_id] = sku
        if item_type is not None:
            self._item_types[item_id] = item_type

    def item_ids(self, skus: Iterable[str]) -> dict[str, str]:
        """Internal ids of the items with these itemIds (SKUs); only names not seen before are queried."""
        skus = list(skus)
        wanted = {s for s in skus if s not in self._item_ids}
        if wanted:
            for sku, item_id in queries.item_ids(self.client, wanted).items():
                self._remember_item(sku, item_id)
        return {s: self._item_ids[s] for s in skus if s in self._item_ids}

    def item_types(self, skus: Iterable[str]) -> dict[str, str]:
        """ItemId -> SuiteQL type code (``OthCharge``, ``NonInvtPart``...) of the items with these itemIds; one query
        gives the ids and types of those whose id or type was not seen before, none when all were."""
        skus = list(skus)
        wanted = {s for s in skus if s not in self._item_ids or self._item_ids[s] not in self._item_types}
        if wanted:
            for sku, (item_id, item_type) in queries.items_by_itemid(self.client, wanted).items():
                self._remember_item(sku, item_id, item_type)
        return {s: self._item_types[self._item_ids[s]] for s in skus
                if s in self._item_ids and self._item_ids[s] in self._item_types}

    def skus_of(self, item_ids: Iterable[str]) -> dict[str, str]:
        """ItemIds (SKUs) of these internal item ids; ids whose itemId or type was not seen before are queried
        (one query gives both, so :meth:`posted_lines` costs no request after it)."""
        ids = [i for i in item_ids if i and i != "None"]
        wanted = {i for i in ids if i not in self._skus or i not in self._item_types}
        if wanted:
            for item_id, (sku, item_type) in queries.items_by_id(self.client, wanted).items():
                self._remember_item(sku, item_id, item_type)
        return {i: self._skus[i] for i in ids if i in self._skus}

    def currency_ids(self) -> dict[str, str]:
        """The account's currencies, ISO code -> internal id (one SuiteQL query, then cached)."""
        if self._currencies is None:
            self._currencies = queries.currencies(self.client)
        return self._currencies

    def currency_id(self, code: str) -> str | None:
        """The internal id of currency ``code``, or None when the account does not have it."""
        return self.currency_ids().get(code.upper())

    def currency_code(self, ref: Any) -> str | None:
        """The ISO code of a currency reference read from a record, by its internal id: the reference's refName is
        the currency record's name (``US Dollar``, ``USA``, whatever the account calls it), not its ISO code."""
        if not isinstance(ref, dict) or ref.get("id") in (None, ""):
            return None
        wanted = str(ref["id"])
        for fresh in (False, True):  # a currency added since the list was read is read again once
            if fresh:
                self._currencies = None
            code = next((k for k, v in self.currency_ids().items() if v == wanted), None)
            if code is not None:
                return code
        return None

    def record_currency(self, record: Mapping[str, Any], what: str) -> str:
        """The ISO code of a record's currency; :class:`CurrencyUnresolved` naming ``what`` when the record has none
        or the account's currencies do not show it. Never a guess: a record in another currency must not be read
        as if it were in the expected one."""
        code = self.currency_code(record.get("currency"))
        if code is None:
            raise CurrencyUnresolved(what, record.get("currency"))
        return code

    def ensure_customer(self, external_id: str, *, email: str | None, name: str,
                        currency_id: str | None = None) -> str:
        first, _, last = name.partition(" ")
        body: dict[str, Any] = {"firstName": first or name, "lastName": last or "-", "isPerson": True}
        if email:
            body["email"] = email
        if currency_id is not None:
            body["currency"] = {"id": currency_id}
        return self._upsert_customer(external_id, body)

    def ensure_company(self, external_id: str, name: str) -> str:
        """A company customer (entity id and name ``name``), upserted by its external id."""
        return self._upsert_customer(external_id, {"entityId": name, "companyName": name, "isPerson": False})

    def _upsert_customer(self, external_id: str, body: dict[str, Any]) -> str:
        """A customer under ``subsidiary`` (when set); a OneWorld account refusing one without is told in one line."""
        if self.subsidiary:
            body = {**body, "subsidiary": {"id": self.subsidiary}}
        try:
            return self.upsert("customer", external_id, body)
        except NetSuiteError as exc:
            if exc.path == "subsidiary" or "subsidiary" in exc.detail.lower():
                raise SubsidiaryRefused(self.subsidiary, exc) from None
            raise

    def customer_id(self, entity_id: str) -> str | None:
        """The internal id of the customer whose entity id is ``entity_id``, or None."""
        found = queries.customer_ids(self.client, entity_id)
        return found[0] if found else None

    def account_count(self) -> int:
        """How many accounts SuiteQL can see, in one request (a permission probe)."""
        return queries.account_count(self.client)

    def account_id(self, name: str) -> str | None:
        """The internal id of the account with this full name or number (read once), or None."""
        if self._accounts is None:
            self._accounts = queries.accounts(self.client)
        return self._accounts.get(name.lower())

    # --- orders -----------------------------------------------------------------------------
    def upsert_sales_order(self, external_id: str, *, customer_id: str, order_ref: str, lines: Sequence[ItemLine],
                           memo: str | None = None, tran_date: str | None = None,
                           currency_id: str | None = None, channel: str | None = None) -> str:
        """The sales order carrying ``order_ref`` in ``order_id_field`` (and ``channel``, the channel's NetSuite
        name, in ``channel_field``), upserted by its external id."""
        body = bodies.sales_order(customer_id=customer_id, order_id_field=self.order_id_field, order_ref=order_ref,
                                  lines=lines, memo=memo, tran_date=tran_date, currency_id=currency_id,
                                  channel_field=self.channel_field, channel=channel)
        return self.upsert(TransactionType.SALES_ORDER.record_type, external_id, body)

    def pay_invoice(self, external_id: str, invoice_id: str, *, customer_id: str | None, memo: str) -> str:
        """A customer payment applied in full to an invoice, upserted by its external id."""
        body = bodies.customer_payment(customer_id=customer_id, memo=memo, invoice_id=invoice_id)
        return self.upsert(TransactionType.CUSTOMER_PAYMENT.record_type, external_id, body)

    def upsert_item_order(self, external_id: str, *, customer_id: str, order_ref: str,
                          items: Iterable[tuple[str, int, Decimal]]) -> str:
        """A sales order of ``(item id, quantity, rate)`` lines, as one is keyed in NetSuite itself."""
        lines = [ItemLine(item_id=item_id, quantity=quantity, rate=rate) for item_id, quantity, rate in items]
        return self.upsert_sales_order(external_id, customer_id=customer_id, order_ref=order_ref, lines=lines)

    def upsert_order(self, external_id: str, order: Order, *, customer_id: str, item_ids: Mapping[str, str],
                     shipping_item_id: str | None, memo: str | None = None, currency_id: str | None = None,
                     channel: str | None = None) -> str:
        """A channel order as a sales order: net amount and tax per SKU, shipping on its item.

        ``currency_id`` is the order's own currency: NetSuite would otherwise use the customer's;
        ``channel`` the channel's NetSuite name, written in ``channel_field``.
        """
        return self.upsert_sales_order(
            external_id, customer_id=customer_id, order_ref=order.channel_order_id,
            lines=bodies.order_lines(order, item_ids, shipping_item_id), memo=memo,
            tran_date=order.created_at[:10] if order.created_at else None, currency_id=currency_id, channel=channel)

    # --- transactions -----------------------------------------------------------------------
    def find(self, record_type: TransactionType, external_id: str) -> FoundRecord | None:
        """The transaction with ``external_id``, or None."""
        found = self.client.find_by_external_id(record_type.record_type, external_id)
        return FoundRecord.of(found, self.currency_code(found.get("currency"))) if found is not None else None

    def transform_once(self, source: TransactionType, source_id: str, target: TransactionType, external_id: str, *,
                       memo: str | None = None, lines: Sequence[ItemLine] | None = None, account: str | None = None,
                       payment_method: str | None = None) -> str:
        """Transform ``source`` into ``target`` unless a record with ``external_id`` already exists.

        NetSuite pre-fills the target with every line of the source that is left; with
        ``lines`` the transform is sent with ``?replace=item``, so the target holds exactly
        those lines (a partial refund never refunds the lines it leaves out). ``account``
        and ``payment_method`` are names (cash refunds).
        The external id is looked up before every attempt, so a transform whose answer
        was lost (or refused as a duplicate) is found, not made again.
        """
        payload = bodies.transform(memo=memo, lines=lines, account=account, payment_method=payment_method)
        payload["externalId"] = external_id
        replace = ("item",) if lines is not None else ()

        def lookup() -> str | None:
            found = self.find(target, external_id)
            return found.id if found is not None else None

        return self.idempotent_write(
            f"{target.label} {external_id} (from {source.label} {source_id})",
            lambda: self.client.transform(source.record_type, source_id, target.record_type, payload,
                                          replace=replace), lookup)

    def get(self, record_type: TransactionType, record_id: str) -> dict[str, Any]:
        """A record as NetSuite returns it (REST JSON), for evidence."""
        return self.client.get(record_type.record_type, record_id)

    def total_of(self, record_type: TransactionType, record_id: str) -> Decimal:
        """A transaction's total in its own currency (a journal entry's: its debit lines)."""
        return bodies.posted_total(self.get(record_type, record_id))

    # --- refunds ----------------------------------------------------------------------------
    def billing_record(self, billing: TransactionType, billing_id: str) -> BillingRecord:
        """A cash sale or invoice: its item lines and amount remaining (NetSuiteError 404 when it was deleted)."""
        return bodies.billing_record(self.get(billing, billing_id))

    def billed_lines(self, billing: TransactionType, billing_id: str) -> tuple[BilledLine, ...]:
        """The item lines of a cash sale or invoice (NetSuiteError 404 when it was deleted)."""
        return self.billing_record(billing, billing_id).lines

    def refund_lines(self, billed: Sequence[BilledLine], refund: Refund, *, refund_tax: bool) -> list[ItemLine]:
        """Transform lines for the refund's SKU lines: each on the billed line of its SKU, amounts as refunded.

        A SKU with no billed line is refused (``USER_ERROR``), as NetSuite would.
        """
        item_ids = self.item_ids([line.sku for line in refund.lines])
        remaining = list(billed)
        lines = []
        for line in refund.lines:
            match = self._billed_line(remaining, item_ids.get(line.sku))
            if match is None:
                raise NetSuiteError(
                    f"order {refund.channel_order_id} has no billed line for SKU {line.sku}",
                    status=400, code="USER_ERROR", detail=f"no billed line for SKU {line.sku}")
            lines.append(ItemLine(order_line=match.line, quantity=line.quantity,
                                  rate=bodies.line_rate(line.amount.amount, line.quantity), amount=line.amount.amount,
                                  tax=line.tax.amount if refund_tax else Decimal(0)))
        return lines

    def prorated_lines(self, billed: Sequence[BilledLine], quantities: Mapping[str, int], *, currency: str = "USD",
                       refunded: Mapping[str, int] | None = None) -> list[ItemLine]:
        """Transform lines refunding ``quantities`` ({SKU: qty}) of the billed lines, amount and tax prorated.

        Shares are rounded to ``currency``'s minor unit cumulatively: with ``refunded`` units
        of the line already refunded, a share is round(billed x (refunded + qty) / billed qty)
        minus round(billed x refunded / billed qty), so a line's shares always sum to what
        was billed (3 for 10.00 refunded one at a time: 3.33, 3.34, 3.33).
        """
        item_ids = self.item_ids(list(quantities))
        remaining = list(billed)
        lines = []
        for sku, quantity in quantities.items():
            match = self._billed_line(remaining, item_ids.get(sku))
            if match is None:
                raise KeyError(f"the billing record has no line for SKU {sku}")
            before = Decimal((refunded or {}).get(sku, 0))
            lines.append(ItemLine(order_line=match.line, quantity=quantity, rate=match.rate,
                                  amount=_share(match.amount, before, quantity, match.quantity, currency),
                                  tax=_share(match.tax, before, quantity, match.quantity, currency)))
        return lines

    def refund_in_netsuite(self, billing: TransactionType, billing_id: str, kind: TransactionType, external_id: str,
                           quantities: Mapping[str, int], *, currency: str = "USD") -> str:
        """A refund made in NetSuite itself (as a person would): ``quantities`` of the billed lines, prorated."""
        lines = self.prorated_lines(self.billed_lines(billing, billing_id), quantities, currency=currency)
        return self.transform_once(billing, billing_id, kind, external_id, lines=lines)

    @staticmethod
    def _billed_line(remaining: list[BilledLine], item_id: str | None) -> BilledLine | None:
        match = next((b for b in remaining if b.item_id == item_id), None)
        if match is not None:
            remaining.remove(match)
        return match

    def charge_line(self, item_id: str, amount: Decimal, tax: Decimal, description: str | None = None) -> ItemLine:
        """A line on an other-charge item (shipping refunded, a refund adjustment)."""
        return ItemLine(item_id=item_id, quantity=1, rate=amount, amount=amount, tax=tax, description=description)

    def pay_out(self, credit_memo_id: str, external_id: str, *, customer_id: str | None, memo: str,
                account: str | None = None, payment_method: str | None = None) -> str:
        """The customer refund paying out what a credit memo has left, upserted once by its external id.

        What is left is the memo's ``unapplied`` amount (NetSuite applies a credit memo to
        the open invoice it comes from), else its total.
        """
        memo_record = self.get(TransactionType.CREDIT_MEMO, credit_memo_id)
        amount = memo_record.get("unapplied", memo_record.get("total"))
        body = bodies.customer_refund(customer_id=customer_id, memo=memo, credit_memo_id=credit_memo_id,
                                      amount=amount, account=account, payment_method=payment_method)
        return self.upsert_once(TransactionType.CUSTOMER_REFUND, external_id, body)

    def refund_as_domain(self, kind: TransactionType, record_id: str, *, channel: Channel, channel_order_id: str,
                         currency: str, shipping_item: str, adjustment_items: Iterable[str]) -> Refund:
        """A NetSuite refund record read back in the channel's terms: lines per SKU, shipping, adjustments.

        Amounts carry the record's own currency, whatever ``currency`` (the channel's) is; a record whose
        currency cannot be resolved raises :class:`CurrencyUnresolved`, never read in the channel's currency.
        One GET; the items and currencies are looked up once and remembered.
        """
        record = self.get(kind, record_id)
        currency = self.record_currency(record, f"{kind.label} {record_id}")
        adjustments = list(adjustment_items)
        specials = self.item_ids([shipping_item, *adjustments])
        shipping_ids = {specials[shipping_item]} if shipping_item in specials else set()
        adjustment_ids = {specials[name] for name in adjustments if name in specials}
        return bodies.refund_from_record(
            record, channel=channel, channel_order_id=channel_order_id, record_id=record_id, currency=currency,
            sku_by_id=self.skus_of(bodies.item_line_ids(record)), shipping_ids=shipping_ids,
            adjustment_ids=adjustment_ids, record_kind=kind.value)

    def posted_lines(self, refund: Refund) -> tuple[PostedLine, ...]:
        """The item lines of a NetSuite refund read by :meth:`refund_as_domain`, each with its item's itemId and
        type, in the refund's currency (no request: that read looked the items up)."""
        record = refund.extra.get("record")
        if not isinstance(record, dict):
            raise ValueError(f"refund {refund.refund_id} carries no NetSuite record: read it with refund_as_domain "
                             "before asking for its posted lines")
        ids = bodies.item_line_ids(record)
        self.skus_of(ids)
        items = {i: (self._skus[i], self._item_types.get(i, "")) for i in ids if i in self._skus}
        return bodies.posted_lines(record, items, refund.currency)

    # --- links and look-ups -----------------------------------------------------------------
    def created_from_chain(self, transaction_id: str, *, max_depth: int = 10) -> list[ChainLink]:
        """The transaction and each record it was created from, ending where createdFrom is empty.

        One SuiteQL query reads four links (refund -> return authorization -> billing ->
        sales order); a longer chain is read on from its last link.
        """
        chain: list[ChainLink] = []
        next_id: str | None = transaction_id
        while next_id and len(chain) < max_depth:
            links = queries.chain_from(self.client, self.order_id_field, next_id)
            if not links:
                break
            chain += links
            next_id = links[-1].created_from if len(links) == queries.CHAIN_HOPS else None
        return chain[:max_depth]

    def transactions_by_ids(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        """Id, type, tranid and external id of the given transactions."""
        return queries.transactions_by_ids(self.client, ids)

    def transactions_of_types(self, types: Iterable[TransactionType]) -> list[dict[str, Any]]:
        """Id, type and external id of every transaction of ``types`` (every page), in id order."""
        return queries.transactions_of_types(self.client, (t.value for t in types))

    def transactions_by_external_ids(self, external_ids: Iterable[str]) -> list[dict[str, Any]]:
        """Transactions carrying any of ``external_ids`` (id, type, tranid, externalid)."""
        return queries.transactions_by_external_ids(self.client, external_ids)

    def refund_transactions(self, channel: str, refund_id: str) -> list[dict[str, Any]]:
        """The return authorization, refund and customer refund syncproof made for a channel refund, if any."""
        return self.transactions_by_external_ids([
            external_ids.return_authorization(channel, refund_id), external_ids.refund(channel, refund_id),
            external_ids.customer_refund(channel, refund_id)])

    def settlement_postings(self, settlement_id: str) -> list[dict[str, Any]]:
        """Summary posting: the deposits and journal entries of a settlement, with their totals."""
        return queries.settlement_postings(self.client, settlement_id)

    def settlement_transactions(self, settlement_id: str) -> list[dict[str, Any]]:
        """The deposits or journal entries carrying a settlement's external id."""
        return self.transactions_by_external_ids([external_ids.settlement(settlement_id)])

    def refunds_from_billing(self, billing_ids: Iterable[str]) -> list[dict[str, Any]]:
        """Refunds made from these billing records, directly or through a return authorization."""
        return queries.refunds_from_billing(self.client, billing_ids)

    def refunds_since(self, day: str) -> list[dict[str, Any]]:
        """Refunds dated on or after ``day`` (YYYY-MM-DD), with their billing records."""
        return queries.refunds_since(self.client, day)

    def sales_orders_with_billing(self, order_ref: str) -> list[dict[str, Any]]:
        """Sales orders carrying the channel order id ``order_ref``, each with its billing record if any."""
        return queries.sales_orders_with_billing(self.client, self.order_id_field, order_ref)

    def tagged_records(self, tag: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Transactions and customers whose memo or external id carries ``tag``, newest first."""
        return queries.tagged_transactions(self.client, tag), queries.tagged_customers(self.client, tag)

    def tagged_items(self, tag: str) -> list[dict[str, Any]]:
        """Items syncproof made that the transactions carrying ``tag`` use (shared with other runs)."""
        return queries.tagged_items(self.client, tag)

    # --- settlements ------------------------------------------------------------------------
    def post_settlement(self, external_id: str, *, posting: str, bank_account_id: str, total: Decimal,
                        tran_date: str, memo: str, lines: Sequence[PostingLine], currency: str,
                        entity_id: str | None = None) -> tuple[TransactionType, str, Money]:
        """A deposit (``posting="deposit"``) or journal entry for a settlement, in the settlement's
        ``currency`` (ISO code), upserted by its external id.

        Returns the record's type, id and what NetSuite posted, read back in the record's own
        currency (a journal entry's amount is the sum of its debit lines: it has no header total).
        """
        currency_id = self.currency_id(currency)
        if currency_id is None:
            raise CurrencyUnknown(currency, "settlement")
        if posting == "deposit":
            kind = TransactionType.DEPOSIT
            body = bodies.deposit(bank_account_id=bank_account_id, tran_date=tran_date, memo=memo, lines=lines,
                                  entity_id=entity_id, currency_id=currency_id)
        else:
            kind = TransactionType.JOURNAL_ENTRY
            body = bodies.journal_entry(bank_account_id=bank_account_id, total=total, tran_date=tran_date, memo=memo,
                                        lines=lines, entity_id=entity_id, currency_id=currency_id)
        record_id = self.client.upsert(kind.record_type, external_id, body)
        record = self.client.get(kind.record_type, record_id, expand=kind is TransactionType.JOURNAL_ENTRY)
        posted_in = self.record_currency(record, f"{kind.label} {record_id} (settlement {external_id})")
        return kind, record_id, Money(bodies.posted_total(record), posted_in)


def _share(billed: Decimal, before: Decimal, quantity: int, billed_quantity: Decimal, currency: str) -> Decimal:
    """The part of ``billed`` for ``quantity`` more units after ``before``, rounded to the currency cumulatively."""
    upto = Money(billed * (before + quantity) / billed_quantity, currency).rounded().amount
    done = Money(billed * before / billed_quantity, currency).rounded().amount
    return upto - done
