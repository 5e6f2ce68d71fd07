"""The executable schema: ``schema.graphql`` plus scalars and root resolvers.

Shopify serialises ``Decimal`` and ``Money`` as strings (``"409.94"``, ``"10.0"``) and
``UnsignedInt64`` as a string too; inputs accept strings or JSON numbers.
"""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any, Callable

from graphql import (
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLScalarType,
    GraphQLSchema,
    build_schema,
    get_directive_values,
)
from graphql.language import FloatValueNode, IntValueNode, StringValueNode

from ._bulk import check_bulk_query, run_bulk
from ._orders_query import search_orders
from ._views import (
    LineItemView,
    OrderView,
    RefundView,
    ShopView,
    TransactionView,
    bulk_read,
    check_page_size,
    decode_cursor,
    order_view,
    page_connection,
)
from .models import ShopifyBackend, UserInputError, parse_gid

__all__ = ["load_schema", "format_decimal", "root_value", "DEFAULT_ACCESS_SCOPES"]

#: Scopes the demo app is granted: reading and refunding orders.
DEFAULT_ACCESS_SCOPES = ("read_orders", "write_orders")


def format_decimal(value: Any) -> str:
    """Shopify's Decimal form: no trailing zeros beyond one decimal place (``10.0``, ``409.94``)."""
    number = Decimal(str(value))
    text = format(number.normalize(), "f")
    return text if "." in text else text + ".0"


def _parse_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise GraphQLError(f"Decimal cannot represent {value!r}")
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise GraphQLError(f"Decimal cannot represent {value!r}") from None


def _parse_decimal_literal(node, _variables=None) -> Decimal:
    if isinstance(node, (StringValueNode, IntValueNode, FloatValueNode)):
        return _parse_decimal(node.value)
    raise GraphQLError("Decimal must be a string or a number")


def _string_literal(node, _variables=None) -> str:
    if isinstance(node, (StringValueNode, IntValueNode)):
        return node.value
    raise GraphQLError("expected a string")


@functools.cache
def load_schema() -> GraphQLSchema:
    """Build the schema from the packaged SDL and attach scalar behaviour (once per process: it holds no
    store's state, and building it takes ~60 ms)."""
    sdl = resources.files(__package__).joinpath("schema.graphql").read_text(encoding="utf-8")
    schema = build_schema(sdl)
    behaviour: dict[str, dict[str, Callable[..., Any]]] = {
        "Decimal": {"serialize": format_decimal, "parse_value": _parse_decimal,
                    "parse_literal": _parse_decimal_literal},
        "UnsignedInt64": {"serialize": str, "parse_value": str, "parse_literal": _string_literal},
    }
    behaviour["Money"] = behaviour["Decimal"]
    behaviour["DateTime"] = behaviour["URL"] = behaviour["UnsignedInt64"]
    node = schema.type_map["Node"]
    assert isinstance(node, GraphQLInterfaceType)
    node.resolve_type = _node_type
    for name, methods in behaviour.items():
        scalar = schema.type_map[name]
        assert isinstance(scalar, GraphQLScalarType)
        for method, function in methods.items():  # SDL scalars get their behaviour after the build
            setattr(scalar, method, function)
    return schema


_VIEW_TYPES = {OrderView: "Order", RefundView: "Refund", LineItemView: "LineItem", TransactionView: "OrderTransaction",
               ShopView: "Shop"}


def _node_type(value: Any, _info, _type) -> str | None:
    if isinstance(value, dict):
        return value.get("__typename")
    return _VIEW_TYPES.get(type(value))


def _bulk_ops(info):
    return info.context["bulk_ops"]


class QueryRoot:
    def __init__(self, backend: ShopifyBackend) -> None:
        self._backend = backend

    @property
    def shop(self) -> ShopView:
        return ShopView(self._backend)

    @property
    def currentAppInstallation(self) -> dict:  # noqa: N802 - GraphQL field name
        scopes = getattr(self._backend, "access_scopes", DEFAULT_ACCESS_SCOPES)
        return {"accessScopes": [{"handle": h, "description": h.replace("_", " ")} for h in scopes]}

    @property
    def _scopes(self) -> tuple[str, ...]:
        return tuple(getattr(self._backend, "access_scopes", DEFAULT_ACCESS_SCOPES))

    def order(self, info, id: str):
        number = parse_gid(id, "Order")
        if number is None:
            raise GraphQLError(f"Invalid global id '{id}'")
        order = self._backend.order(number)
        return order_view(order if self._backend.visible(order, self._scopes) else None, self._backend)

    def refund(self, info, id: str):
        number = parse_gid(id, "Refund")
        if number is None:
            raise GraphQLError(f"Invalid global id '{id}'")
        found = self._backend.find_refund(number)
        if found is None or not self._backend.visible(found[0], self._scopes):
            return None
        order, refund = found
        return RefundView(refund, order, self._backend)

    def node(self, info, id: str):
        kind = id.split("/")[-2] if id.startswith("gid://shopify/") and id.count("/") == 4 else ""
        if kind == "BulkOperation":
            number = parse_gid(id, "BulkOperation")
            record = _bulk_ops(info).read(number) if number is not None else None
            return _bulk_ops(info).view(record, info.context["base_url"]) if record else None
        if kind == "Order":
            return self.order(info, id)
        if kind == "Refund":
            return self.refund(info, id)
        return None

    def currentBulkOperation(self, info, type: str = "QUERY"):  # noqa: N802 - GraphQL field name
        if type != "QUERY":
            return None
        record = _bulk_ops(info).current()
        return _bulk_ops(info).view(record, info.context["base_url"]) if record else None

    def ordersCount(self, info, query=None, limit=10000) -> dict:  # noqa: N802 - GraphQL field name
        scopes = self._scopes
        with self._backend.lock:
            records = search_orders(self._backend, query).records
            count = sum(1 for order in records if self._backend.visible(order, scopes))
        if limit is not None and count >= limit:
            return {"count": limit, "precision": "AT_LEAST"}
        return {"count": count, "precision": "EXACT"}

    def _all_orders(self, query, sortKey, reverse) -> dict:
        scopes = self._scopes
        with self._backend.lock:
            search = search_orders(self._backend, query, sortKey, reverse)
            views = [OrderView(o, self._backend) for o in search.records if self._backend.visible(o, scopes)]
        return page_connection(views, lambda view: view.id, has_next=False, has_previous=False)

    def orders(self, info, first=None, after=None, query=None, sortKey="ID", reverse=False) -> dict:
        if bulk_read(info):
            return self._all_orders(query, sortKey, reverse)
        check_page_size(first, "orders")
        after_id = parse_gid(decode_cursor(after), "Order") if after else None
        if after and after_id is None:
            raise GraphQLError(f"Invalid cursor for current pagination sort: {after!r}")
        scopes = self._scopes
        with self._backend.lock:
            search = search_orders(self._backend, query, sortKey, reverse)
            page = search.page(after_id, first, lambda order: self._backend.visible(order, scopes))
            if page is None:
                raise GraphQLError(f"Invalid cursor for current pagination sort: {after!r}")
            records, has_next = page
            views = [OrderView(o, self._backend) for o in records]
        return page_connection(views, lambda view: view.id, has_next=has_next, has_previous=bool(after))

    # mutations ----------------------------------------------------------------------
    def bulkOperationRunQuery(self, info, query: str, groupObjects: bool = False) -> dict:  # noqa: N802
        """Starts reading, changes no shop data: the operation is the app's own record."""
        document, problem = check_bulk_query(info.schema, query)
        if document is None:
            return {"bulkOperation": None, "userErrors": [{"field": ["query"], "message": problem, "code": "INVALID"}]}
        record, errors = _bulk_ops(info).start(
            query, info.context["version"],
            lambda: run_bulk(info.schema, document, QueryRoot(self._backend), grouped=groupObjects,
                             context=info.context),
            denied="read_orders" not in self._scopes)
        view = _bulk_ops(info).view(record, info.context["base_url"]) if record else None
        return {"bulkOperation": view, "userErrors": errors}

    def refundCreate(self, info, input: dict) -> dict:
        directive = info.schema.get_directive("idempotent")
        idempotent = get_directive_values(directive, info.field_nodes[0], info.variable_values) if directive else None
        try:
            refund = self._backend.create_refund(input, (idempotent or {}).get("key"))
        except UserInputError as exc:
            return {"refund": None, "order": None, "userErrors": _user_errors(exc)}
        order = self._backend.order(refund.order_id)
        assert order is not None, "a refund is made on an existing order"
        return {"refund": RefundView(refund, order, self._backend), "order": OrderView(order, self._backend),
                "userErrors": []}

    def orderCreate(self, info, order: dict, options: dict | None = None) -> dict:
        try:
            record = self._backend.create_order(order)
        except UserInputError as exc:
            return {"order": None, "userErrors": _user_errors(exc, with_code=True)}
        return {"order": OrderView(record, self._backend), "userErrors": []}


def _user_errors(exc: UserInputError, with_code: bool = False) -> list[dict]:
    errors = []
    for field, message, code in exc.errors:
        error: dict[str, Any] = {"field": field, "message": message}
        if with_code:
            error["code"] = code
        errors.append(error)
    return errors


def root_value(backend: ShopifyBackend) -> QueryRoot:
    """The root object for both queries and mutations."""
    return QueryRoot(backend)
