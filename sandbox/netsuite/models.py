"""The emulated NetSuite account: records, external ids, transforms, applications.

:class:`NetSuiteBackend` is the state behind the HTTP app, moto-style. Every public
method takes the backend's lock, so tests may touch state while the server runs
in its thread. Records are kept in their REST shape (camelCase fields, sublists
as ``{"items": [...]}``, references as ``{"id", "refName"}``) with Decimal money,
and every write goes through to the SuiteQL mirror.

    >>> backend = NetSuiteBackend()
    >>> sku = backend.create("inventoryItem", {"itemId": "MUG-BLUE"})
    >>> cust = backend.create("customer", {"companyName": "Ada Lovelace"})
    >>> so = backend.create("salesOrder", {"entity": {"id": cust}, "item": {"items": [
    ...     {"item": {"id": sku}, "quantity": 2, "rate": "12.50"}]}})
    >>> backend.transform("salesOrder", so, "cashSale")
"""

from __future__ import annotations

import copy
import pickle
import threading
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Iterable

from .auth import DEMO_CREDENTIALS, Credentials, TbaVerifier
from .catalog import ITEM_TYPES, RECORD_TYPES, canonical_type, kind_of, suiteql_code
from .errors import NetSuiteError, bad_reference, invalid_content, not_found, user_error
from .fields import check_fields
from .ledger import transaction_rows
from .lines import build_item_line, item_totals, money, to_decimal
from .seed import ACCOUNTS, CURRENCIES, FULLY_APPLIED, PAID_IN_FULL, STATUSES, SUBSIDIARIES
from .suiteql import SuiteQLMirror
from .throttle import BASE_TIER_CONCURRENCY, Throttle
from .transforms import HEADER_COPY, check_allowed, plan_lines, remaining_quantities

__all__ = ["NetSuiteBackend", "SUITEQL_RESULT_LIMIT", "MAX_PAGES", "result_cap"]

#: SuiteQL returns at most this many results a query (Oracle help, "Executing SuiteQL Queries
#: Through REST Web Services"), in at most MAX_PAGES pages (Oracle help, "Collection Paging").
SUITEQL_RESULT_LIMIT = 100_000
MAX_PAGES = 1000


def result_cap(limit: int, result_limit: int = SUITEQL_RESULT_LIMIT) -> int:
    """How many results a query paged ``limit`` at a time can return: 1,000 pages, 100,000 at most."""
    return min(result_limit, MAX_PAGES * limit)

#: Fields the backend computes; a request body cannot set them.
_COMPUTED = frozenset({"id", "links", "subtotal", "taxTotal", "total", "status", "createdDate",
                       "lastModifiedDate", "applied", "unapplied", "amountPaid", "amountRemaining",
                       "refName"})
_CUSTOMER_FIELD_TYPES = ("customerRefund", "customerPayment")
_FAMILY_START = {"transaction": 1001, "item": 101, "entity": 201, "account": 1, "currency": 1, "subsidiary": 1}

#: What :meth:`NetSuiteBackend.reset` sets up and :meth:`NetSuiteBackend.saved_state` keeps (with the SuiteQL mirror).
_STATE = ("suiteql_result_limit", "_records", "_external", "_type_of", "_seq", "_numbers", "_children", "_applied")


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class NetSuiteBackend:
    """An in-memory NetSuite account with TBA credentials and a SuiteQL mirror.

    Concurrency governance is on at the base service tier's limit (5 requests in flight)
    unless ``concurrency_limit`` says otherwise (None: off). ``one_world`` makes it a
    OneWorld account: several subsidiaries, and a customer must name its subsidiary.

        >>> backend = NetSuiteBackend(one_world=True)
        >>> app = create_app(backend)
    """

    def __init__(self, credentials: Credentials = DEMO_CREDENTIALS, *, verify_signatures: bool = True,
                 reject_reused_nonces: bool = True, max_clock_skew: float | None = 300,
                 concurrency_limit: int | None = BASE_TIER_CONCURRENCY, date_format: str = "M/D/YYYY",
                 seed_defaults: bool = True, one_world: bool = False) -> None:
        self.credentials = credentials
        self.verify_signatures = verify_signatures
        self.verifier = TbaVerifier(credentials, reject_reused_nonces=reject_reused_nonces,
                                    max_clock_skew=max_clock_skew)
        self.throttle = Throttle(concurrency_limit)
        self.seed_defaults = seed_defaults
        self.one_world = one_world
        self._lock = threading.RLock()
        self._mirror = SuiteQLMirror(date_format)
        self.reset()

    @property
    def account_id(self) -> str:
        return self.credentials.account_id

    # lifecycle ----------------------------------------------------------------
    def reset(self) -> None:
        """Forget every record, nonce and forced throttle; re-seed the defaults."""
        with self._lock:
            #: results one SuiteQL query returns at most (NetSuite: 100,000; tests may lower it)
            self.suiteql_result_limit = SUITEQL_RESULT_LIMIT
            self._records: dict[str, dict[str, dict[str, Any]]] = {t: {} for t in RECORD_TYPES}
            self._external: dict[str, dict[str, str]] = {t: {} for t in RECORD_TYPES}
            self._type_of: dict[tuple[str, str], str] = {}
            self._seq = dict(_FAMILY_START)
            self._numbers: dict[str, int] = {}
            self._children: dict[str, list[tuple[str, str]]] = {}
            self._applied: dict[str, dict[str, Decimal]] = {}
            self._mirror.clear()
            self._mirror.type_labels = {k.code: k.label for k in RECORD_TYPES.values()
                                        if k.family == "transaction" and k.code is not None}
            self._mirror.status_labels = {(suiteql_code(t), code): label
                                          for t, (code, _, label) in STATUSES.items()}
            for t, status in (("creditMemo", FULLY_APPLIED), ("invoice", PAID_IN_FULL)):
                self._mirror.status_labels[(suiteql_code(t), status[0])] = status[2]
            self.throttle.reset()
            self.verifier.forget_nonces()
            if self.seed_defaults:
                for currency in CURRENCIES:
                    self.create("currency", currency)
                for subsidiary in SUBSIDIARIES[:None if self.one_world else 1]:
                    self.create("subsidiary", subsidiary)
                for account in ACCOUNTS:
                    self.create("account", account)

    def saved_state(self) -> Any:
        """The account's records as they stand, for :meth:`restore_state` (nonces and throttling are not kept).

        The records are kept pickled: plain data (dicts, lists, text, numbers, decimals) read back from a
        pickle is the same copy ``copy.deepcopy`` makes, in a third of the time, and nothing can change it."""
        with self._lock:
            return (pickle.dumps({name: getattr(self, name) for name in _STATE}, pickle.HIGHEST_PROTOCOL),
                    self._mirror.saved())

    def restore_state(self, state: Any) -> None:
        """The records as :meth:`saved_state` kept them; every nonce and forced throttle forgotten, as by reset."""
        values, mirror = state
        with self._lock:
            for name, value in pickle.loads(values).items():
                setattr(self, name, value)
            self._mirror.restore(mirror)
            self.throttle.reset()
            self.verifier.forget_nonces()

    def force_throttle(self, count: int) -> None:
        """Answer the next ``count`` API requests with 429 CONCURRENCY_LIMIT_EXCEEDED."""
        self.throttle.force(count)

    # reads --------------------------------------------------------------------
    def record_type(self, name: str) -> str:
        """The REST spelling of ``name``; 400 INVALID_RCRD_TYPE when unknown."""
        canonical = canonical_type(name)
        if canonical is None:
            raise NetSuiteError(400, "INVALID_RCRD_TYPE",
                                f"The record type [{name}] is invalid.", path="recordType")
        return canonical

    def get(self, record_type: str, record_id: str) -> dict[str, Any]:
        """A deep copy of one record (REST shape, Decimal money)."""
        with self._lock:
            return copy.deepcopy(self._get(self.record_type(record_type), str(record_id)))

    def get_by_external_id(self, record_type: str, external_id: str) -> dict[str, Any]:
        with self._lock:
            record_type = self.record_type(record_type)
            record_id = self._external[record_type].get(external_id)
            if record_id is None:
                raise not_found(record_type, f"eid:{external_id}")
            return copy.deepcopy(self._records[record_type][record_id])

    def id_for_external_id(self, record_type: str, external_id: str) -> str | None:
        with self._lock:
            return self._external[self.record_type(record_type)].get(external_id)

    def records(self, record_type: str) -> list[dict[str, Any]]:
        """Every record of a type, in id order."""
        with self._lock:
            table = self._records[self.record_type(record_type)]
            return [copy.deepcopy(table[k]) for k in sorted(table, key=int)]

    def ids(self, record_type: str) -> list[str]:
        with self._lock:
            return sorted(self._records[self.record_type(record_type)], key=int)

    def type_of(self, family: str, record_id: str) -> str | None:
        with self._lock:
            return self._type_of.get((family, str(record_id)))

    def suiteql(self, q: str, limit: int = 1000, offset: int = 0) -> dict[str, Any]:
        """One page of a SuiteQL query: ``items``, ``count``, ``hasMore``, ``offset``, ``totalResults``.

        A query returns at most :func:`result_cap` results (100,000 at 1,000 a page: at most 1,000
        pages): ``totalResults`` counts the results the query returns, so it never exceeds the cap,
        the page holding the last of them says ``hasMore: false``, and a page past the cap is refused.
        """
        cap = result_cap(limit, self.suiteql_result_limit)
        if offset >= cap:
            raise NetSuiteError(
                400, "INVALID_PARAMETER",
                f"Invalid value for the query parameter offset: {offset}. A SuiteQL query returns at most "
                f"{cap:,} results ({MAX_PAGES:,} pages of {limit}); narrow the query to read further.",
                query_param="offset")
        with self._lock:
            items, total = self._mirror.query(q, min(limit, cap - offset), offset)
        total = min(total, cap)
        return {"items": items, "count": len(items), "hasMore": offset + len(items) < total,
                "offset": offset, "totalResults": total}

    # writes -------------------------------------------------------------------
    def create(self, record_type: str, body: dict[str, Any], *, validation: str = "warning") -> str:
        """Create a record; return its internal id. ``validation`` is the request's property
        name validation (``error`` refuses a field the record has not; otherwise it is dropped)."""
        with self._lock:
            record_type = self.record_type(record_type)
            body = self._checked_body(body, record_type, validation)
            self._check_external_id(record_type, body.get("externalId"), None)
            kind = kind_of(record_type)
            record_id = str(self._seq[kind.family])
            record = self._build(record_type, body, record_id, None)
            self._seq[kind.family] += 1
            self._store(record_type, record)
            return record_id

    def update(self, record_type: str, record_id: str, body: dict[str, Any],
               replace: Iterable[str] = (), *, validation: str = "warning") -> None:
        """PATCH: change the given fields; sublist lines merge by ``line`` unless replaced."""
        with self._lock:
            record_type = self.record_type(record_type)
            existing = self._get(record_type, str(record_id))
            body = self._checked_body(body, record_type, validation)
            self._check_external_id(record_type, body.get("externalId"), existing["id"])
            merged = self._merge(record_type, existing, body, set(replace))
            record = self._build(record_type, merged, existing["id"], existing)
            self._store(record_type, record, previous=existing)

    def upsert(self, record_type: str, external_id: str, body: dict[str, Any], *,
               validation: str = "warning") -> tuple[str, bool]:
        """PUT by external id: update the record that has it, or create one. Returns (id, created)."""
        with self._lock:
            record_type = self.record_type(record_type)
            body = dict(self._checked_body(body, record_type, validation))
            body["externalId"] = external_id
            record_id = self._external[record_type].get(external_id)
            if record_id is None:
                return self.create(record_type, body), True
            self.update(record_type, record_id, body)
            return record_id, False

    def delete(self, record_type: str, record_id: str) -> None:
        with self._lock:
            record_type = self.record_type(record_type)
            record = self._get(record_type, str(record_id))
            rid = record["id"]
            if self._children.get(rid) or self._applied.get(rid):
                raise user_error(f"This record cannot be deleted because it has dependent records "
                                 f"({self._display(record_type, record)}).")
            del self._records[record_type][rid]
            family = kind_of(record_type).family
            self._type_of.pop((family, rid), None)
            if record.get("externalId") is not None:
                self._external[record_type].pop(record["externalId"], None)
            source = (record.get("createdFrom") or {}).get("id")
            if source in self._children:
                self._children[source] = [c for c in self._children[source] if c[1] != rid]
            self._unapply(rid)
            self._unmirror(family, rid)

    def transform(self, from_type: str, from_id: str, to_type: str,
                  body: dict[str, Any] | None = None, replace: Iterable[str] = (), *,
                  validation: str = "warning") -> str:
        """Create a ``to_type`` record from an existing ``from_type`` one; return its id.

        The target is pre-filled from the source; ``replace`` names the sublists whose
        pre-filled lines are dropped in favour of exactly the lines the body lists.
        """
        with self._lock:
            from_type, to_type = self.record_type(from_type), self.record_type(to_type)
            source = self._get(from_type, str(from_id))
            check_allowed(from_type, to_type)
            body = self._checked_body(body or {}, to_type, validation)
            currency = self._iso(source["currency"])
            children = [(t, self._records[t][i]) for t, i in self._children.get(source["id"], [])]
            remaining = remaining_quantities(source, to_type, from_type, children)
            item_body = body.get("item")
            body_lines = item_body.get("items") if isinstance(item_body, dict) else None
            planned = plan_lines(source, from_type, to_type, body_lines, remaining, currency,
                                 replace="item" in set(replace))
            target: dict[str, Any] = {k: copy.deepcopy(source[k]) for k in HEADER_COPY if k in source}
            if "account" in source and from_type != "salesOrder":
                target["account"] = copy.deepcopy(source["account"])
            target.update({k: v for k, v in body.items() if k not in ("item", "apply")})
            target["createdFrom"] = {"id": source["id"]}
            target["item"] = {"items": planned}
            if to_type == "creditMemo":
                target["apply"] = {"items": self._prefilled_apply(from_type, source, body.get("apply"))}
            return self.create(to_type, target)

    def _prefilled_apply(self, from_type: str, source: dict[str, Any], given: Any) -> list[Any]:
        """A credit memo's ``apply`` lines: the invoice it comes from, applied while it is
        open, then the request's lines, keyed by ``doc`` (a line for the same invoice
        updates the pre-filled one)."""
        invoice = source if from_type == "invoice" else None
        if invoice is None and from_type == "returnAuthorization":
            origin = (source.get("createdFrom") or {}).get("id")
            if origin and self._type_of.get(("transaction", origin)) == "invoice":
                invoice = self._records["invoice"][origin]
        lines: list[Any] = []
        if invoice is not None and self._open_amount("invoice", invoice, "") > 0:
            lines.append({"doc": {"id": invoice["id"]}, "apply": True})
        raw_lines = given.get("items") if isinstance(given, dict) else None
        for raw in raw_lines or []:
            doc = raw.get("doc") if isinstance(raw, dict) else None
            doc_id = str(doc.get("id") if isinstance(doc, dict) else doc) if doc is not None else None
            match = next((line for line in lines if line["doc"]["id"] == doc_id), None)
            if match is not None:
                match.update(raw)
            else:
                lines.append(raw)
        return lines

    def seed_items(self, items: Iterable[dict[str, Any]], record_type: str = "inventoryItem") -> list[str]:
        """Create items (``itemId`` is the SKU); an entry may name its own ``type``."""
        with self._lock:
            created = []
            for item in items:
                item = dict(item)
                created.append(self.create(item.pop("type", record_type), item))
            return created

    def seed_customers(self, customers: Iterable[dict[str, Any]]) -> list[str]:
        with self._lock:
            return [self.create("customer", dict(c)) for c in customers]

    def corrupt(self, record_type: str, record_id: str, field: str, value: Any) -> None:
        """Set ``field`` (dotted path, list indexes allowed: ``item.items.0.amount``) to
        ``value`` with no validation and no recomputation. The SuiteQL mirror follows."""
        with self._lock:
            record_type = self.record_type(record_type)
            record = self._get(record_type, str(record_id))
            parts = field.split(".")
            target: Any = record
            for part in parts[:-1]:
                target = target[int(part)] if isinstance(target, list) else target.setdefault(part, {})
            last = parts[-1]
            if isinstance(target, list):
                target[int(last)] = value
            elif value is None:
                target.pop(last, None)
            else:
                target[last] = value
            self._mirror_record(record_type, record)

    # building -----------------------------------------------------------------
    def _checked_body(self, body: Any, record_type: str, validation: str = "warning") -> dict[str, Any]:
        """The JSON object with only the fields ``record_type`` has (see :func:`.fields.check_fields`)."""
        if not isinstance(body, dict):
            raise invalid_content("The request body must be a JSON object.")
        return check_fields(record_type, body, validation=validation)

    def _get(self, record_type: str, record_id: str) -> dict[str, Any]:
        record = self._records[record_type].get(record_id)
        if record is None:
            raise not_found(record_type, record_id)
        return record

    def _check_external_id(self, record_type: str, external_id: Any, own_id: str | None) -> None:
        if external_id is None:
            return
        holder = self._external[record_type].get(str(external_id))
        if holder is not None and holder != own_id:
            raise NetSuiteError(
                400, "DUP_RCRD",
                f"A {kind_of(record_type).label.lower()} with external ID {external_id} already "
                f"exists (internal ID {holder}).", path="externalId")

    def _merge(self, record_type: str, existing: dict[str, Any], body: dict[str, Any],
               replace: set[str]) -> dict[str, Any]:
        merged = copy.deepcopy(existing)
        sublist = kind_of(record_type).sublist
        for key, value in body.items():
            if key == sublist and isinstance(value, dict) and key not in replace:
                merged[key] = {"items": self._merge_lines(existing.get(key, {}).get("items", []),
                                                          value.get("items") or [])}
            else:
                merged[key] = value
        return merged

    @staticmethod
    def _merge_lines(old: list[dict[str, Any]], new: list[Any]) -> list[dict[str, Any]]:
        lines = {line["line"]: copy.deepcopy(line) for line in old}
        appended = []
        for raw in new:
            if isinstance(raw, dict) and raw.get("line") is not None and int(raw["line"]) in lines:
                line = lines[int(raw["line"])]
                if ("quantity" in raw or "rate" in raw) and "amount" not in raw:
                    line.pop("amount", None)
                line.update(raw)
            else:
                appended.append(raw)
        return list(lines.values()) + appended

    def _build(self, record_type: str, data: dict[str, Any], record_id: str,
               existing: dict[str, Any] | None) -> dict[str, Any]:
        family = kind_of(record_type).family
        now = _now()
        record: dict[str, Any] = {"id": record_id}
        for key, value in data.items():
            if key not in _COMPUTED:
                record[key] = copy.deepcopy(value)
        if record.get("externalId") is not None:
            record["externalId"] = str(record["externalId"])
        if family == "item":
            if not record.get("itemId"):
                raise invalid_content("Please enter value(s) for: Item Name/Number.", "itemId")
            record["itemId"] = str(record["itemId"])
            if record.get("rate") is not None:
                record["rate"] = to_decimal(record["rate"], "rate")
        elif family == "entity":
            if not record.get("entityId"):
                record["entityId"] = str(record.get("companyName")
                                         or " ".join(str(record[k]) for k in ("firstName", "lastName")
                                                     if record.get(k)) or f"Customer {record_id}")
            if record.get("currency") is not None:
                record["currency"] = self._ref(("currency",), record["currency"], "currency")
            if record.get("subsidiary") is not None:
                record["subsidiary"] = self._ref(("subsidiary",), record["subsidiary"], "subsidiary")
            elif self.one_world:
                raise user_error("Please enter value(s) for: Primary Subsidiary.", "subsidiary")
        elif family == "subsidiary":
            if not record.get("name"):
                raise invalid_content("Please enter value(s) for: Name.", "name")
            for key, types in (("currency", ("currency",)), ("parent", ("subsidiary",))):
                if record.get(key) is not None:
                    record[key] = self._ref(types, record[key], key)
        elif family == "account":
            if not record.get("acctName"):
                raise invalid_content("Please enter value(s) for: Name.", "acctName")
            acct_type = record.get("acctType") or "Expense"
            acct_id = acct_type.get("id") if isinstance(acct_type, dict) else acct_type
            record["acctType"] = {"id": str(acct_id), "refName": str(acct_id)}
        elif family == "currency":
            if not record.get("symbol"):
                raise invalid_content("Please enter value(s) for: ISO Code.", "symbol")
            if record.get("exchangeRate") is not None:
                record["exchangeRate"] = to_decimal(record["exchangeRate"], "exchangeRate")
        else:
            self._build_transaction(record_type, record, existing)
        record["createdDate"] = existing["createdDate"] if existing else now
        record["lastModifiedDate"] = now
        return record

    def _build_transaction(self, record_type: str, record: dict[str, Any],
                           existing: dict[str, Any] | None) -> None:
        kind = kind_of(record_type)
        if existing is not None:
            record["tranId"] = record.get("tranId") or existing["tranId"]
        elif not record.get("tranId"):
            number = self._numbers.get(record_type, 1001)
            self._numbers[record_type] = number + 1
            record["tranId"] = f"{kind.prefix}{number}"
        record["tranId"] = str(record["tranId"])
        record["tranDate"] = self._date(record.get("tranDate"))
        # customer payments and customer refunds name their customer "customer", not "entity"
        customer_field = "customer" if record_type in _CUSTOMER_FIELD_TYPES else "entity"
        if customer_field == "customer" and record.get("customer") is not None:
            record["entity"] = record["customer"]
        if record.get("entity") is not None:
            record["entity"] = self._ref(("customer",), record["entity"], customer_field)
            if customer_field == "customer":
                record["customer"] = record["entity"]
        elif kind.needs_entity:
            raise user_error("Please enter value(s) for: Customer.", customer_field)
        else:
            record.pop("entity", None)
        # no currency given: the customer's, else the base currency (as NetSuite defaults it)
        customer = self._records["customer"].get(str((record.get("entity") or {}).get("id")), {})
        # the subsidiary comes from the customer; without one, the root subsidiary
        record["subsidiary"] = self._ref(("subsidiary",), record.get("subsidiary") or customer.get("subsidiary")
                                         or {"id": "1"}, "subsidiary")
        default_currency = customer.get("currency") or {"id": "1"}
        record["currency"] = self._ref(("currency",), record.get("currency") or default_currency, "currency")
        rate = to_decimal(record.get("exchangeRate"), "exchangeRate")
        if rate is None:
            rate = to_decimal(self._records["currency"][record["currency"]["id"]].get("exchangeRate") or "1",
                              "exchangeRate")
        if rate is None or rate <= 0:
            raise invalid_content(f"Invalid exchange rate {record.get('exchangeRate')!r}.", "exchangeRate")
        record["exchangeRate"] = rate
        if record.get("account") is not None:
            record["account"] = self._ref(("account",), record["account"], "account")
        if record.get("createdFrom") is not None:
            record["createdFrom"] = self._ref(tuple(t for t, k in RECORD_TYPES.items()
                                                    if k.family == "transaction"),
                                              record["createdFrom"], "createdFrom")
        for key in ("memo", "otherRefNum"):
            if record.get(key) is not None:
                record[key] = str(record[key])
        currency = self._iso(record["currency"])
        sublist = kind.sublist
        if sublist == "item":
            raw_lines = (record.get("item") or {}).get("items") or []
            if not raw_lines:
                raise user_error("You must enter at least one line item for this transaction.",
                                 "item.items")
            lines, used = [], set()
            next_number = max((int(r["line"]) for r in raw_lines
                               if isinstance(r, dict) and r.get("line") is not None), default=0) + 1
            for index, raw in enumerate(raw_lines):
                given = raw.get("line") if isinstance(raw, dict) else None
                if given is None or int(given) in used:
                    number, next_number = next_number, next_number + 1
                else:
                    number = int(given)
                used.add(number)
                lines.append(build_item_line(raw, index, number, currency, self._item_ref))
            lines.sort(key=lambda line: line["line"])
            record["item"] = {"items": lines}
            record.update(item_totals(lines, currency))
            if record_type == "creditMemo":
                record["apply"] = {"items": self._apply_lines(record_type, record, currency)
                                   if (record.get("apply") or {}).get("items") else []}
        elif sublist == "other":
            record["other"] = {"items": self._deposit_lines(record, currency)}
            record["total"] = money(sum((line["amount"] for line in record["other"]["items"]),
                                        Decimal(0)), currency)
        elif sublist == "line":
            record["line"] = {"items": self._journal_lines(record, currency)}
            record["total"] = money(sum((line.get("debit", Decimal(0))
                                         for line in record["line"]["items"]), Decimal(0)), currency)
        elif sublist == "apply":
            record["apply"] = {"items": self._apply_lines(record_type, record, currency)}
            applied = sum((line["amount"] for line in record["apply"]["items"] if line["apply"]),
                          Decimal(0))
            if record_type == "customerPayment" and record.get("payment") is not None:
                payment = to_decimal(record["payment"], "payment", required=True)
                if payment < applied:
                    raise user_error(f"The payment amount {payment} is less than the amount applied "
                                     f"({applied}).", "payment")
                record["payment"] = money(payment, currency)
                record["total"] = record["payment"]
            else:
                record["total"] = money(applied, currency)
        _, status_id, label = STATUSES[record_type]
        record["status"] = {"id": status_id, "refName": label}
        if record_type == "creditMemo":
            record.setdefault("applied", Decimal(0))
        self._derive(record_type, record)

    def _deposit_lines(self, record: dict[str, Any], currency: str) -> list[dict[str, Any]]:
        lines = []
        raw_lines = (record.get("other") or {}).get("items") or []
        if not raw_lines:
            raise user_error("You must enter at least one line for this deposit.", "other.items")
        for index, raw in enumerate(raw_lines):
            path = f"other.items[{index}]"
            if not isinstance(raw, dict):
                raise invalid_content(f"Invalid line {raw!r}.", path)
            line: dict[str, Any] = {
                "line": index + 1,
                "account": self._ref(("account",), raw.get("account"), f"{path}.account"),
                "amount": money(to_decimal(raw.get("amount"), f"{path}.amount", required=True), currency),
            }
            if raw.get("entity") is not None:
                line["entity"] = self._ref(("customer",), raw["entity"], f"{path}.entity")
            if raw.get("memo") is not None:
                line["memo"] = str(raw["memo"])
            lines.append(line)
        return lines

    def _journal_lines(self, record: dict[str, Any], currency: str) -> list[dict[str, Any]]:
        raw_lines = (record.get("line") or {}).get("items") or []
        if len(raw_lines) < 2:
            raise user_error("A journal entry needs at least two lines.", "line.items")
        lines, debits, credits = [], Decimal(0), Decimal(0)
        for index, raw in enumerate(raw_lines):
            path = f"line.items[{index}]"
            if not isinstance(raw, dict):
                raise invalid_content(f"Invalid line {raw!r}.", path)
            debit = to_decimal(raw.get("debit"), f"{path}.debit")
            credit = to_decimal(raw.get("credit"), f"{path}.credit")
            if (debit is None) == (credit is None):
                raise user_error("Each journal line needs either a debit or a credit.", path)
            line: dict[str, Any] = {"line": index,
                                    "account": self._ref(("account",), raw.get("account"),
                                                         f"{path}.account")}
            if debit is not None:
                line["debit"] = money(debit, currency)
                debits += line["debit"]
            elif credit is not None:
                line["credit"] = money(credit, currency)
                credits += line["credit"]
            for key in ("memo",):
                if raw.get(key) is not None:
                    line[key] = str(raw[key])
            if raw.get("entity") is not None:
                line["entity"] = self._ref(("customer",), raw["entity"], f"{path}.entity")
            lines.append(line)
        if debits != credits:
            raise user_error(f"The transaction is out of balance: debits {debits}, credits {credits}.",
                             "line.items")
        return lines

    def _apply_lines(self, record_type: str, record: dict[str, Any], currency: str) -> list[dict[str, Any]]:
        doc_type = "creditMemo" if record_type == "customerRefund" else "invoice"
        own_id = record["id"]
        # a credit memo applies at most its own total to invoices
        budget = record["total"] if record_type == "creditMemo" else None
        raw_lines = (record.get("apply") or {}).get("items") or []
        lines: list[dict[str, Any]] = []
        requested: dict[str, Decimal] = {}
        for index, raw in enumerate(raw_lines):
            path = f"apply.items[{index}]"
            if not isinstance(raw, dict):
                raise invalid_content(f"Invalid line {raw!r}.", path)
            doc_ref = self._ref((doc_type,), raw.get("doc"), f"{path}.doc")
            doc = self._records[doc_type][doc_ref["id"]]
            if (doc.get("entity") or {}).get("id") != (record.get("entity") or {}).get("id"):
                raise user_error(f"{doc_ref['refName']} belongs to another customer.", f"{path}.doc")
            open_amount = self._open_amount(doc_type, doc, own_id)
            apply = raw.get("apply", True) is not False
            amount = to_decimal(raw.get("amount"), f"{path}.amount")
            if amount is None:
                amount = open_amount - requested.get(doc["id"], Decimal(0))
                if budget is not None:
                    amount = min(amount, budget - sum(requested.values(), Decimal(0)))
            amount = money(amount, currency)
            if apply:
                if amount <= 0:
                    raise user_error(f"The amount applied to {doc_ref['refName']} must be positive.",
                                     f"{path}.amount")
                requested[doc["id"]] = requested.get(doc["id"], Decimal(0)) + amount
                if requested[doc["id"]] > open_amount:
                    what = "unapplied amount" if doc_type == "creditMemo" else "amount due"
                    raise user_error(
                        f"You cannot apply more than the {what} of {doc_ref['refName']}: "
                        f"{requested[doc['id']]} requested, {max(open_amount, Decimal(0))} open.",
                        f"{path}.amount")
                if budget is not None and sum(requested.values(), Decimal(0)) > budget:
                    raise user_error(f"You cannot apply more than the total of this credit memo "
                                     f"({budget}).", f"{path}.amount")
            lines.append({"line": index + 1, "doc": doc_ref, "apply": apply, "amount": amount,
                          "type": kind_of(doc_type).label, "refNum": doc["tranId"]})
        if budget is None and not any(line["apply"] for line in lines):
            raise user_error(f"Select at least one {kind_of(doc_type).label.lower()} to apply.",
                             "apply.items")
        return lines

    def _open_amount(self, doc_type: str, doc: dict[str, Any], applier_id: str) -> Decimal:
        """What is left on ``doc`` for ``applier_id`` to apply: an invoice's amount remaining,
        a credit memo's unapplied amount (both net of what every other record applies)."""
        others = sum((a for k, a in self._applied.get(doc["id"], {}).items() if k != applier_id),
                     Decimal(0))
        if doc_type == "creditMemo":
            others += self._own_applications(doc)
        return doc["total"] - others

    @staticmethod
    def _own_applications(record: dict[str, Any]) -> Decimal:
        """What a credit memo applies to invoices through its own ``apply`` sublist."""
        return sum((line["amount"] for line in (record.get("apply") or {}).get("items", [])
                    if isinstance(line, dict) and line.get("apply")), Decimal(0))

    def _derive(self, record_type: str, record: dict[str, Any]) -> None:
        """Applied/unapplied amounts and the status that follows from them."""
        applied = sum(self._applied.get(record["id"], {}).values(), Decimal(0))
        if record_type == "creditMemo":
            applied += self._own_applications(record)
            record["applied"] = applied
            record["unapplied"] = record["total"] - applied
            if record["total"] > 0 and record["unapplied"] == 0:
                record["status"] = {"id": FULLY_APPLIED[1], "refName": FULLY_APPLIED[2]}
            else:
                _, status_id, label = STATUSES["creditMemo"]
                record["status"] = {"id": status_id, "refName": label}
        elif record_type == "invoice":
            record["amountPaid"] = applied
            record["amountRemaining"] = record["total"] - applied
            if record["total"] > 0 and record["amountRemaining"] == 0:
                record["status"] = {"id": PAID_IN_FULL[1], "refName": PAID_IN_FULL[2]}
            else:
                _, status_id, label = STATUSES["invoice"]
                record["status"] = {"id": status_id, "refName": label}

    def _date(self, value: Any) -> str:
        if value is None:
            return date.today().isoformat()
        try:
            return date.fromisoformat(str(value)[:10]).isoformat()
        except ValueError:
            raise invalid_content(f"Invalid date value {value!r}; use YYYY-MM-DD.", "tranDate") from None

    def _ref(self, types: tuple[str, ...], value: Any, path: str) -> dict[str, str]:
        """Resolve a reference ``{"id"}``/``{"externalId"}``/id; a refName alone names nothing."""
        field = path.split(".")[-1].split("[")[0]
        if value is None:
            raise user_error(f"Please enter value(s) for: {field}.", path)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            value = {"id": str(value)}
        if not isinstance(value, dict):
            raise invalid_content(f"Invalid reference {value!r} for field {field}.", path)
        for record_type in types:
            table = self._records[record_type]
            if value.get("id") is not None and str(value["id"]) in table:
                return {"id": str(value["id"]), "refName": self._display(record_type, table[str(value["id"])])}
            if value.get("externalId") is not None:
                found = self._external[record_type].get(str(value["externalId"]))
                if found is not None:
                    return {"id": found, "refName": self._display(record_type, table[found])}
        shown = value.get("id", value.get("externalId", value.get("refName")))
        raise bad_reference(field, shown, path)

    def _iso(self, ref: dict[str, Any]) -> str:
        """The ISO code (``symbol``) of the currency a resolved reference names."""
        return str(self._records["currency"][str(ref["id"])]["symbol"])

    def _item_ref(self, value: Any, path: str) -> dict[str, str]:
        try:
            return self._ref(ITEM_TYPES, value, path)
        except NetSuiteError:
            shown = value.get("id", value.get("externalId")) if isinstance(value, dict) else value
            raise invalid_content(
                f"Error while accessing resource: You have entered an Invalid Field Value {shown} "
                f"for the following field: item", path) from None

    def _display(self, record_type: str, record: dict[str, Any]) -> str:
        family = kind_of(record_type).family
        if family == "item":
            return record["itemId"]
        if family == "entity":
            return record["entityId"]
        if family == "account":
            return f"{record.get('acctNumber', '')} {record['acctName']}".strip()
        if family == "currency":  # the currency's name (Lists > Accounting > Currencies), not its ISO code
            return str(record.get("name") or record["symbol"])
        if family == "subsidiary":
            return record["name"]
        return f"{kind_of(record_type).label} #{record['tranId']}"

    # storing ------------------------------------------------------------------
    def _store(self, record_type: str, record: dict[str, Any],
               previous: dict[str, Any] | None = None) -> None:
        rid = record["id"]
        family = kind_of(record_type).family
        if previous is not None and previous.get("externalId") is not None:
            self._external[record_type].pop(previous["externalId"], None)
        self._records[record_type][rid] = record
        self._type_of[(family, rid)] = record_type
        if record.get("externalId") is not None:
            self._external[record_type][record["externalId"]] = rid
        if previous is None:
            source = (record.get("createdFrom") or {}).get("id")
            if source is not None:
                self._children.setdefault(source, []).append((record_type, rid))
        if isinstance(record.get("apply"), dict):
            self._unapply(rid)
            for line in record["apply"]["items"]:
                if line["apply"]:
                    doc = self._applied.setdefault(line["doc"]["id"], {})
                    doc[rid] = doc.get(rid, Decimal(0)) + line["amount"]
            self._refresh_docs(line["doc"]["id"] for line in record["apply"]["items"])
        self._mirror_record(record_type, record)

    def _unapply(self, applier_id: str) -> None:
        touched = [doc for doc, appliers in self._applied.items() if applier_id in appliers]
        for doc in touched:
            del self._applied[doc][applier_id]
            if not self._applied[doc]:
                del self._applied[doc]
        self._refresh_docs(touched)

    def _refresh_docs(self, doc_ids: Iterable[str]) -> None:
        for doc_id in set(doc_ids):
            doc_type = self._type_of.get(("transaction", doc_id))
            if doc_type is not None:
                doc = self._records[doc_type][doc_id]
                self._derive(doc_type, doc)
                self._mirror_record(doc_type, doc)

    def _mirror_record(self, record_type: str, record: dict[str, Any]) -> None:
        kind = kind_of(record_type)
        rid = int(record["id"])
        names = self._mirror.names
        if kind.family == "transaction":
            source = (record.get("createdFrom") or {}).get("id")
            source_type = self._type_of.get(("transaction", str(source))) if source else None
            doc_types = {line["doc"]["id"]: self._type_of.get(("transaction", line["doc"]["id"]))
                         for line in (record.get("apply") or {}).get("items", [])
                         if isinstance(line, dict) and isinstance(line.get("doc"), dict)}
            status_id = (record.get("status") or {}).get("id")
            code = next((c for t, (c, s, _) in list(STATUSES.items()) + [
                ("creditMemo", FULLY_APPLIED), ("invoice", PAID_IN_FULL)]
                         if t == record_type and s == status_id), None)
            item_types = {}
            for line in (record.get("item") or {}).get("items", []):
                item_id = str((line.get("item") or {}).get("id"))
                item_type = self._type_of.get(("item", item_id))
                if item_type:
                    item_types[item_id] = kind_of(item_type).code
            header, lines, links = transaction_rows(
                record_type, record, source_type=source_type, doc_types=doc_types,
                item_types=item_types, status_code=code)
            self._mirror.put_transaction(header, lines, links)
            names["transaction"][rid] = self._display(record_type, record)
        elif kind.family == "item":
            self._mirror.put("item", {"id": rid, "itemid": record.get("itemId"),
                                      "displayname": record.get("displayName"), "itemtype": kind.code,
                                      "externalid": record.get("externalId")})
            names["item"][rid] = str(record.get("itemId"))
        elif kind.family == "entity":
            self._mirror.put("customer", {"id": rid, "entityid": record.get("entityId"),
                                          "companyname": record.get("companyName"),
                                          "email": record.get("email"),
                                          "externalid": record.get("externalId")})
            names["entity"][rid] = str(record.get("entityId"))
        elif kind.family == "account":
            display = self._display(record_type, record)
            self._mirror.put("account", {"id": rid, "acctnumber": record.get("acctNumber"),
                                         "accountsearchdisplayname": display,
                                         "fullname": record.get("acctName"),
                                         "accttype": (record.get("acctType") or {}).get("id")})
            names["account"][rid] = display
        elif kind.family == "currency":
            self._mirror.put("currency", {"id": rid, "symbol": record.get("symbol"),
                                          "name": record.get("name")})
            # BUILTIN.DF(currency) shows the currency's name, as its field on records does; the ISO code is symbol
            names["currency"][rid] = self._display(record_type, record)

    def _unmirror(self, family: str, record_id: str) -> None:
        rid = int(record_id)
        if family == "transaction":
            self._mirror.delete_transaction(rid)
        else:
            self._mirror.delete({"item": "item", "entity": "customer"}.get(family, family), rid)
        self._mirror.names.get(family, {}).pop(rid, None)
