"""Bulk query operations: ``bulkOperationRunQuery``, the operation's status, and its JSONL result.

What the emulator follows (shopify.dev, GraphQL Admin API 2026-10):

- ``bulkOperationRunQuery(query:, groupObjects:)`` returns ``{bulkOperation, userErrors}``; the query
  must have at least one connection field, at most five connections, nested at most two levels deep,
  under a single top-level field; ``userErrors[].code`` is a ``BulkOperationUserErrorCode``
  (``INVALID``, ``LIMIT_REACHED``, ``OPERATION_IN_PROGRESS``);
- from API version 2026-01 an app may run up to five bulk query operations at a time per shop,
  before it one;
- the status runs ``CREATED`` -> ``RUNNING`` -> ``COMPLETED`` (or ``FAILED`` with an ``errorCode``
  of ``ACCESS_DENIED`` / ``INTERNAL_SERVER_ERROR`` / ``TIMEOUT``, or ``CANCELED``); ``url`` and
  ``partialDataUrl`` expire seven days after the operation ends, and the status then reads ``EXPIRED``;
- ``objectCount`` counts every object, ``rootObjectCount`` only those of the top-level connection;
- the result is JSONL: one line per connection node, a nested connection's nodes on their own lines
  carrying ``__parentId`` (the id of the object holding the connection), listed after their parent.
  With ``groupObjects: false`` (the default from 2026-01) children are not next to their parent.

The operation is worked out when it is created (the shop's data as at that moment, through the
same schema and views as any query, so amounts and currencies are those of a paged read) and then
reports ``RUNNING`` for ``running_polls`` status reads before it ends. ``plan`` makes the next
operation end ``FAILED`` with a code, or ``CANCELED``, for the client's fallback to be tested.
"""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    execute_sync,
    get_named_type,
    parse,
    validate,
)

__all__ = ["BulkOperations", "BulkRecord", "flatten", "check_bulk_query", "RESULT_DAYS", "MAX_CONNECTIONS",
           "MAX_NESTING", "MANY_FROM_VERSION", "run_bulk"]

RESULT_DAYS = 7
MAX_CONNECTIONS = 5
MAX_NESTING = 2
#: the first API version that lets an app run five bulk queries at a time (one before it)
MANY_FROM_VERSION = "2026-01"
ACTIVE = ("CREATED", "RUNNING")
FAILURES = ("ACCESS_DENIED", "INTERNAL_SERVER_ERROR", "TIMEOUT")


def _is_connection(named: Any) -> bool:
    return isinstance(named, GraphQLObjectType) and named.name.endswith("Connection") and "nodes" in named.fields


def _fields(selection_set) -> list[FieldNode]:
    found = []
    for selection in selection_set.selections if selection_set else ():
        if not isinstance(selection, FieldNode):
            raise ValueError("bulk queries in the emulator take plain fields, not fragments")
        found.append(selection)
    return found


def check_bulk_query(schema: GraphQLSchema, text: str) -> tuple[DocumentNode | None, str | None]:
    """The parsed query, or a message saying why Shopify's bulk rules refuse it."""
    try:
        document = parse(text)
    except GraphQLError as exc:
        return None, f"Invalid bulk query: {exc.message}"
    problems = validate(schema, document)
    if problems:
        return None, f"Invalid bulk query: {problems[0].message}"
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].operation != OperationType.QUERY:
        return None, "Invalid bulk query: a bulk query runs one query operation"
    try:
        roots = _fields(operations[0].selection_set)
        if len(roots) != 1:
            return None, "Invalid bulk query: bulk queries select a single top-level field"
        count, depth = _connections(roots, schema.query_type, 0)
    except ValueError as exc:
        return None, f"Invalid bulk query: {exc}"
    if count == 0:
        return None, "Invalid bulk query: bulk queries must contain at least one connection"
    if count > MAX_CONNECTIONS:
        return None, f"Invalid bulk query: bulk queries cannot contain more than {MAX_CONNECTIONS} connections"
    if depth > MAX_NESTING:
        return None, f"Invalid bulk query: bulk queries cannot nest connections more than {MAX_NESTING} levels deep"
    return document, None


def _connections(fields: list[FieldNode], owner: Any, level: int) -> tuple[int, int]:
    """(connections under ``fields``, deepest nesting of connections)."""
    count, deepest = 0, level
    for node in fields:
        if not isinstance(owner, GraphQLObjectType) or node.name.value not in owner.fields:
            continue
        named = get_named_type(owner.fields[node.name.value].type)
        here = level + 1 if _is_connection(named) else level
        if here > level:
            count += 1
        if node.selection_set is not None:
            inner, depth = _connections(_fields(node.selection_set), named, here)
            count, deepest = count + inner, max(deepest, depth, here)
    return count, deepest


def flatten(schema: GraphQLSchema, document: DocumentNode, data: dict, *, grouped: bool) -> list[dict]:
    """The JSONL objects of a bulk query's result: one per connection node, children with ``__parentId``."""
    lines: list[tuple[int, dict]] = []
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    _object(_fields(operation.selection_set), schema.query_type, data, None, 0, lines)
    if not grouped:  # every root first, then the children: after their parents, not next to them
        lines.sort(key=lambda line: line[0])
    return [line for _level, line in lines]


def _object(fields: list[FieldNode], owner: Any, value: dict, parent: str | None, level: int,
            lines: list) -> dict:
    own: dict = {}
    here = value.get("id") if isinstance(value.get("id"), str) else None
    for node in fields:
        key = node.alias.value if node.alias else node.name.value
        if node.name.value == "__typename":
            own[key] = value.get(key)
            continue
        named = get_named_type(owner.fields[node.name.value].type)
        if _is_connection(named):
            _connection(node, named, value.get(key), here or parent, level + 1, lines)
            continue
        own[key] = _value(node, named, value.get(key), here or parent, level, lines)
    return own


def _value(node: FieldNode, named: Any, value: Any, parent: str | None, level: int, lines: list) -> Any:
    if value is None or node.selection_set is None:
        return value
    if isinstance(value, list):
        return [_value(node, named, item, parent, level, lines) for item in value]
    return _object(_fields(node.selection_set), named, value, parent, level, lines)


def _connection(node: FieldNode, connection: GraphQLObjectType, value: dict | None, parent: str | None,
                level: int, lines: list) -> None:
    if not value:
        return
    node_type = get_named_type(connection.fields["nodes"].type)
    for child in _fields(node.selection_set):
        key = child.alias.value if child.alias else child.name.value
        if child.name.value == "nodes":
            items = [(child, item) for item in value.get(key) or []]
        elif child.name.value == "edges":
            items = [(grand, (edge or {}).get(grand.alias.value if grand.alias else "node"))
                     for edge in value.get(key) or [] for grand in _fields(child.selection_set)
                     if grand.name.value == "node"]
        else:  # pageInfo and cursors mean nothing in a file holding every node
            continue
        for selection, item in items:
            slot = len(lines)
            lines.append((level, {}))
            line = _object(_fields(selection.selection_set), node_type, item, parent if level > 1 else None,
                           level, lines)
            if level > 1 and parent is not None:
                line["__parentId"] = parent
            lines[slot] = (level, line)


@dataclass
class BulkRecord:
    id: int
    query: str
    created_at: datetime
    status: str = "CREATED"
    error_code: str | None = None
    completed_at: datetime | None = None
    body: bytes = b""
    object_count: int = 0
    root_object_count: int = 0
    polls_left: int = 0
    ending: str = "COMPLETED"
    token: str = ""

    def gid(self) -> str:
        return f"gid://shopify/BulkOperation/{self.id}"


class BulkOperations:
    """The app's bulk operations on this shop, with their results, by clock."""

    def __init__(self, clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.records: dict[int, BulkRecord] = {}
            self._next = 1
            self.running_polls = 1
            self._plan: str | None = None

    def configure(self, running_polls: int | None = None, plan: str | None = None) -> None:
        """Status reads that say RUNNING before an operation ends; how the next one ends
        (``FAILED`` codes, ``CANCELED``, or None to complete)."""
        with self._lock:
            if running_polls is not None:
                self.running_polls = max(0, int(running_polls))
            if plan is not None and plan not in (*FAILURES, "CANCELED", "COMPLETED"):
                raise ValueError(f"unknown bulk ending {plan!r}")
            self._plan = None if plan == "COMPLETED" else plan

    def start(self, query: str, version: str, run: Callable[[], tuple[list[dict], int, int]],
              denied: bool) -> tuple[BulkRecord | None, list[dict]]:
        """A new operation running ``run`` (JSONL objects, object count, root count), or user errors."""
        with self._lock:
            limit = MAX_CONNECTIONS if version >= MANY_FROM_VERSION else 1
            active = sum(1 for r in self.records.values() if self._status(r) in ACTIVE)
            if active >= limit:
                if limit == 1:
                    return None, [{"field": None, "code": "OPERATION_IN_PROGRESS",
                                   "message": "A bulk query operation for this app and shop is already in progress"}]
                return None, [{"field": None, "code": "LIMIT_REACHED",
                               "message": "Bulk operations limit reached. Please try again later."}]
            record = BulkRecord(self._next, query, self.clock(), polls_left=self.running_polls,
                                token=secrets.token_urlsafe(16))
            self._next += 1
            plan, self._plan = self._plan, None
        if denied:
            plan = "ACCESS_DENIED"
        if plan in FAILURES or plan == "CANCELED":
            record.ending, record.error_code = ("CANCELED", None) if plan == "CANCELED" else ("FAILED", plan)
        else:
            try:
                objects, record.object_count, record.root_object_count = run()
            except GraphQLError:
                record.ending, record.error_code = "FAILED", "INTERNAL_SERVER_ERROR"
            else:
                record.body = b"".join(json.dumps(o, separators=(",", ":")).encode() + b"\n" for o in objects)
        with self._lock:
            self.records[record.id] = record
        return record, []

    def _status(self, record: BulkRecord) -> str:
        if record.status in ("COMPLETED", "FAILED", "CANCELED") and record.completed_at is not None \
                and self.clock() > record.completed_at + timedelta(days=RESULT_DAYS):
            return "EXPIRED"
        return record.status

    def read(self, record_id: int) -> BulkRecord | None:
        """The operation as a status read sees it: each read while it runs moves it on."""
        with self._lock:
            record = self.records.get(record_id)
            if record is None:
                return None
            if record.status in ACTIVE:
                if record.polls_left > 0:
                    record.polls_left -= 1
                    record.status = "RUNNING"
                else:
                    record.status, record.completed_at = record.ending, self.clock()
            return record

    def current(self) -> BulkRecord | None:
        with self._lock:
            latest = max(self.records, default=None)
        return self.read(latest) if latest is not None else None

    def view(self, record: BulkRecord, base_url: str) -> dict:
        status = self._status(record)
        has_file = status == "COMPLETED" and record.object_count > 0
        return {
            "__typename": "BulkOperation", "id": record.gid(), "status": status, "type": "QUERY",
            "errorCode": record.error_code, "createdAt": _iso(record.created_at),
            "completedAt": _iso(record.completed_at) if record.completed_at and status == "COMPLETED" else None,
            "objectCount": record.object_count,
            "rootObjectCount": record.root_object_count,
            "fileSize": len(record.body) if has_file else None,
            "url": f"{base_url.rstrip('/')}/bulk-results/{record.token}.jsonl" if has_file else None,
            "partialDataUrl": None, "query": record.query,
        }

    def result(self, token: str) -> bytes | None:
        """The JSONL file behind a result url, while it has not expired."""
        with self._lock:
            found = next((r for r in self.records.values() if r.token == token), None)
            if found is None or self._status(found) != "COMPLETED":
                return None
            return found.body


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def run_bulk(schema: GraphQLSchema, document: DocumentNode, root: Any, *, grouped: bool,
             context: dict) -> tuple[list[dict], int, int]:
    """Execute a checked bulk query over every node: (JSONL objects, object count, root count)."""
    result = execute_sync(schema, document, root_value=root, context_value={**context, "bulk": True})
    if result.errors:
        raise result.errors[0]
    objects = flatten(schema, document, result.data or {}, grouped=grouped)
    roots = sum(1 for o in objects if "__parentId" not in o)
    return objects, len(objects), roots
