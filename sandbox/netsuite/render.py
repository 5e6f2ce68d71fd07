"""Records in the shape NetSuite's REST record service returns them.

References and the record itself carry ``links``; a sublist is a link to its own
resource unless the request asked for ``expandSubResources=true``, in which case
it is a collection::

    "item": {"links": [{"rel": "self", "href": ".../salesOrder/1001/item"}],
             "count": 2, "hasMore": false, "offset": 0, "totalResults": 2,
             "items": [{"links": [], "line": 1, ...}, ...]}
"""

from __future__ import annotations

import copy
from typing import Any, Callable

from .catalog import kind_of
from .fields import shown

__all__ = ["record_url", "render_record", "render_sublist", "REF_TYPES"]

RECORD_PATH = "/services/rest/record/v1"
#: Which family a reference field points at.
REF_TYPES = {"entity": "entity", "currency": "currency", "account": "account",
             "createdFrom": "transaction", "item": "item", "doc": "transaction"}

Resolver = Callable[[str, str], "str | None"]


def record_url(base: str, record_type: str, record_id: str) -> str:
    return f"{base}{RECORD_PATH}/{record_type}/{record_id}"


def render_record(record: dict[str, Any], record_type: str, base: str, expand: bool,
                  resolve: Resolver) -> dict[str, Any]:
    """The GET body of one record: only the fields its type has (see :mod:`.fields`)."""
    url = record_url(base, record_type, record["id"])
    body: dict[str, Any] = {"links": [{"rel": "self", "href": url}]}
    sublist = kind_of(record_type).sublist
    for key, value in shown(record_type, record).items():
        if key == sublist and isinstance(value, dict):
            body[key] = render_sublist(record, record_type, base, resolve) if expand \
                else {"links": [{"rel": "self", "href": f"{url}/{key}"}]}
        else:
            body[key] = _with_links(key, copy.deepcopy(value), base, resolve)
    return body


def render_sublist(record: dict[str, Any], record_type: str, base: str,
                   resolve: Resolver) -> dict[str, Any]:
    """The collection form of a record's sublist."""
    sublist = kind_of(record_type).sublist or ""
    lines = (record.get(sublist) or {}).get("items", [])
    url = f"{record_url(base, record_type, record['id'])}/{sublist}"
    items = []
    for line in lines:
        rendered: dict[str, Any] = {"links": []}
        for key, value in (line.items() if isinstance(line, dict) else []):
            rendered[key] = _with_links(key, copy.deepcopy(value), base, resolve)
        items.append(rendered)
    return {"links": [{"rel": "self", "href": url}], "count": len(items), "hasMore": False,
            "items": items, "offset": 0, "totalResults": len(items)}


def _with_links(key: str, value: Any, base: str, resolve: Resolver) -> Any:
    family = REF_TYPES.get(key)
    if family and isinstance(value, dict) and value.get("id") is not None:
        target = resolve(family, str(value["id"]))
        if target:
            return {"links": [{"rel": "self", "href": record_url(base, target, str(value["id"]))}],
                    **value}
    return value
