"""The cassette file: one scenario's scrubbed HTTP interactions, as readable YAML.

    >>> cassette = load_cassette("cassettes/refund_settings/the-refund-settings-are-shown.yaml")
    >>> cassette.interactions[0].request.method, cassette.metadata["scenario"]
    ('POST', 'The refund settings are shown')

The layout follows vcrpy's (``version``, ``interactions`` of ``request``/``response``),
with a response body as plain text rather than vcrpy's ``{string: ...}``, plus a
``metadata`` table (scenario, seed, run id, the recording's clock). Bodies are text;
JSON bodies are pretty-printed compactly (short objects stay on one line, numbers keep
their exact text); bytes that are not UTF-8 are stored as
``{base64: ...}``. :func:`load_cassette` validates every field and raises
:class:`CassetteError` naming the file and the problem.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..body_encodings import starts_as_json
from ._errors import CassetteError

__all__ = ["CASSETTE_VERSION", "CassetteFile", "Interaction", "RecordedRequest", "RecordedResponse",
           "load_cassette", "dump_cassette", "parse_cassette", "compact_json", "parse_json", "CompactJSONBody"]

CASSETTE_VERSION = 1
_HEADER = ("# syncproof cassette: the scrubbed HTTP interactions of one scenario, replayed by\n"
           "# `syncproof run --target replay`. Generated; re-record rather than edit.\n")


@dataclass
class RecordedRequest:
    method: str
    uri: str
    headers: dict[str, list[str]] = field(default_factory=dict)
    body: bytes = b""


@dataclass
class RecordedResponse:
    status: int
    message: str = ""
    headers: dict[str, list[str]] = field(default_factory=dict)
    body: bytes = b""


@dataclass
class Interaction:
    request: RecordedRequest
    response: RecordedResponse


@dataclass
class CassetteFile:
    """A loaded cassette: its metadata and interactions, in recording order."""

    path: str
    interactions: list[Interaction] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)


# --- JSON, compact but readable ------------------------------------------------------------------

class _DuplicateKey(ValueError):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


#: one decoder for every body (``json.loads`` with these options builds a new one for each call)
_DECODER = json.JSONDecoder(parse_float=Decimal, object_pairs_hook=_pairs)


def parse_json(text: str | bytes) -> Any:
    """JSON with exact decimals; raises ValueError for invalid JSON or duplicate keys."""
    if isinstance(text, str):  # json.loads, without making a decoder
        if text.startswith("\ufeff"):
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        return _DECODER.decode(text)
    return json.loads(text, parse_float=Decimal, object_pairs_hook=_pairs)


#: ``json.dumps(text, ensure_ascii=False)`` of a string, without making an encoder for each one
_json_string = json.encoder.encode_basestring


#: ``json.dumps`` of the constants, without a call for each
_CONSTANTS = {True: "true", False: "false", None: "null"}


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, Decimal):
        return str(value)
    if value is None or value is True or value is False:
        return _CONSTANTS[value]
    if type(value) is int:  # what json.dumps writes for an int
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def compact_json(value: Any, width: int = 120, indent: str = "") -> str:
    """``value`` as JSON: containers that fit in ``width`` columns stay on one line, others break."""
    return _Compact(width).render(value, indent)


class _Compact:
    """:func:`compact_json`'s layout, each container's one-line text worked out once (not once per
    enclosing level, which is quadratic in a deep body's size)."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.lines: dict[int, str] = {}

    def line(self, value: Any) -> str:
        if not isinstance(value, (dict, list)):
            return _scalar(value)
        text = self.lines.get(id(value))
        if text is None:
            if isinstance(value, dict):
                text = ("{" + ", ".join(f"{_scalar(k)}: {self.line(v)}"
                                        for k, v in value.items()) + "}") if value else "{}"
            else:
                text = ("[" + ", ".join(self.line(v) for v in value) + "]") if value else "[]"
            self.lines[id(value)] = text
        return text

    def render(self, value: Any, indent: str) -> str:
        if not isinstance(value, (dict, list)):
            return _scalar(value)
        one = self.line(value)
        if not value or len(one) + len(indent) <= self.width:
            return one
        inner = indent + "  "
        if isinstance(value, dict):
            items = [f"{inner}{_scalar(k)}: {self.render(v, inner)}" for k, v in value.items()]
            return "{\n" + ",\n".join(items) + "\n" + indent + "}"
        return "[\n" + ",\n".join(inner + self.render(v, inner) for v in value) + "\n" + indent + "]"


class CompactJSONBody(bytes):
    """A JSON body as :func:`compact_json` lays it out (what the scrubber writes): the cassette holds
    it as it is, instead of reading it and laying it out again."""


def _body_to_yaml(body: bytes, content_type: str) -> Any:
    if not body:
        return ""
    if isinstance(body, CompactJSONBody):
        return body.decode("utf-8") + "\n"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(body).decode("ascii")}
    if "json" in content_type.lower() or starts_as_json(text):
        try:
            return compact_json(parse_json(text)) + "\n"
        except (ValueError, RecursionError):
            pass
    return text


def _header_value(headers: dict[str, list[str]], name: str) -> str:
    for key, values in headers.items():
        if key.lower() == name and values:
            return values[0]
    return ""


# --- writing -------------------------------------------------------------------------------------

#: libyaml's parser when PyYAML was built with it (ten times the pure-Python one), same safe schema
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR, _INT, _MAP, _SEQ = ("tag:yaml.org,2002:" + kind for kind in ("str", "int", "map", "seq"))


class _Unusual(Exception):
    """A YAML node :func:`_load_yaml` leaves to PyYAML's own constructor."""


def _load_yaml(text: str) -> Any:
    """``yaml.load(text, Loader=_Loader)``, the same value, errors and all.

    PyYAML builds each value through its general constructor (generators for mappings and
    sequences, so that recursive documents can be built), which takes longer than libyaml's
    parsing. A cassette holds only text, integers, mappings and lists: those are built here
    directly; a document with anything else (another tag, an alias to a mapping or a list,
    a key that is not a scalar) is built by PyYAML's constructor from the same nodes.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _build(loader, node, set())
        except _Unusual:
            return loader.construct_document(node)
    finally:
        loader.dispose()


def _build(loader: Any, node: Any, seen: set[int]) -> Any:
    tag, kind = node.tag, type(node)
    if kind is yaml.ScalarNode:
        if tag == _STR:
            return node.value
        if tag == _INT:
            return loader.construct_yaml_int(node)
        raise _Unusual
    if id(node) in seen:  # an alias: PyYAML gives both places the same object
        raise _Unusual
    seen.add(id(node))
    if tag == _MAP and kind is yaml.MappingNode:
        mapping = {}
        for key, value in node.value:
            if type(key) is not yaml.ScalarNode:
                raise _Unusual
            mapping[_build(loader, key, seen)] = _build(loader, value, seen)
        return mapping
    if tag == _SEQ and kind is yaml.SequenceNode:
        return [_build(loader, item, seen) for item in node.value]
    raise _Unusual


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """libyaml's emitter when PyYAML was built with it (five times the pure-Python one), same safe schema."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def dump_cassette(cassette: CassetteFile) -> str:
    """The YAML text of ``cassette`` (what :func:`load_cassette` reads back)."""
    interactions = []
    for it in cassette.interactions:
        req, res = it.request, it.response
        interactions.append({
            "request": {"method": req.method, "uri": req.uri, "headers": _flat_headers(req.headers),
                        "body": _body_to_yaml(req.body, _header_value(req.headers, "content-type"))},
            "response": {"status": {"code": res.status, "message": res.message},
                         "headers": _flat_headers(res.headers),
                         "body": _body_to_yaml(res.body, _header_value(res.headers, "content-type"))},
        })
    data = {"version": CASSETTE_VERSION, "metadata": cassette.metadata, "interactions": interactions}
    return _HEADER + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


def _flat_headers(headers: dict[str, list[str]]) -> dict[str, Any]:
    return {k: (v[0] if len(v) == 1 else list(v)) for k, v in headers.items()}


def write_cassette(path: str | Path, cassette: CassetteFile) -> None:
    """Write ``cassette`` at ``path``: into a file of its own next to it, then renamed over it.

    A reader finds the old cassette or the new one, never part of one; two recordings of the same
    cassette at once each write their own file (the last renamed wins); a write that fails leaves
    the old cassette and removes its own file. A cassette written over keeps its file mode.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = dump_cassette(cassette).encode("utf-8")
    try:
        mode: int | None = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = None  # a new cassette: the mode files are created with
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "xb") as out:
            out.write(text)
        if mode is not None:
            tmp.chmod(mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# --- reading -------------------------------------------------------------------------------------

def load_cassette(path: str | Path) -> CassetteFile:
    """Read and validate the cassette at ``path``.

    Raises :class:`CassetteError` (one line: the file, what is wrong, how to fix it) when
    the file is missing, unreadable, not UTF-8, not YAML, or not a cassette of this version.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CassetteError(path, "not found", "record it with `syncproof run --target record`") from None
    except OSError as exc:
        raise CassetteError(path, f"cannot be read ({exc.strerror or exc})", "check the file's permissions") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CassetteError(path, f"is not UTF-8 text (byte {exc.start})") from None
    return parse_cassette(text, str(path))


def parse_cassette(text: str, path: str = "<cassette>") -> CassetteFile:
    """Validate cassette ``text`` (see :func:`load_cassette`)."""
    try:
        data = _load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise CassetteError(path, f"is not valid YAML{where}: {problem}") from None
    except (RecursionError, ValueError, TypeError, OverflowError, MemoryError) as exc:
        raise CassetteError(path, f"is not valid YAML: {type(exc).__name__}") from None
    if not isinstance(data, dict):
        raise CassetteError(path, f"must be a mapping with version and interactions, not {_kind(data)}")
    version = data.get("version")
    if version != CASSETTE_VERSION or isinstance(version, bool):
        raise CassetteError(path, f"has version {version!r}; this syncproof reads version {CASSETTE_VERSION}")
    metadata = data.get("metadata", {})
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise CassetteError(path, f"metadata must be a mapping, not {_kind(metadata)}")
    interactions = data.get("interactions")
    if not isinstance(interactions, list):
        raise CassetteError(path, f"interactions must be a list, not {_kind(interactions)}")
    parsed = [_interaction(path, number, item) for number, item in enumerate(interactions, start=1)]
    return CassetteFile(path=path, interactions=parsed, metadata=metadata)


def _kind(value: Any) -> str:
    return "nothing" if value is None else f"a {type(value).__name__}"


def _interaction(path: str, number: int, item: Any) -> Interaction:
    where = f"interaction {number}"
    if not isinstance(item, dict):
        raise CassetteError(path, f"{where} must be a mapping with request and response, not {_kind(item)}")
    req, res = item.get("request"), item.get("response")
    if not isinstance(req, dict):
        raise CassetteError(path, f"{where} has no request mapping")
    if not isinstance(res, dict):
        raise CassetteError(path, f"{where} has no response mapping")
    method = req.get("method")
    if not isinstance(method, str) or not method.isalpha() or not method.isupper():
        raise CassetteError(path, f"{where}: request method must be an HTTP method such as GET, not {method!r:.40}")
    uri = req.get("uri")
    if not isinstance(uri, str) or not _is_http_url(uri):
        raise CassetteError(path, f"{where}: request uri must be an absolute http(s) URL, not {uri!r:.80}")
    status = res.get("status")
    code = status.get("code") if isinstance(status, dict) else None
    if not isinstance(code, int) or isinstance(code, bool) or not 100 <= code <= 599:
        raise CassetteError(path, f"{where}: response status code must be a number from 100 to 599, not {code!r:.40}")
    message = status.get("message", "") if isinstance(status, dict) else ""
    if message is None:
        message = ""
    if not isinstance(message, str):
        raise CassetteError(path, f"{where}: response status message must be text")
    return Interaction(
        RecordedRequest(method, uri, _headers(path, f"{where} request", req.get("headers")),
                        _body(path, f"{where} request", req.get("body"))),
        RecordedResponse(code, message, _headers(path, f"{where} response", res.get("headers")),
                         _body(path, f"{where} response", res.get("body"))))


def _is_http_url(uri: str) -> bool:
    try:
        parts = urlsplit(uri)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def _headers(path: str, where: str, value: Any) -> dict[str, list[str]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CassetteError(path, f"{where} headers must be a mapping, not {_kind(value)}")
    headers: dict[str, list[str]] = {}
    for name, values in value.items():
        if not isinstance(name, str) or not name or any(c in name for c in ":\r\n ") or not name.isascii():
            raise CassetteError(path, f"{where} has an invalid header name {name!r:.40}")
        items = values if isinstance(values, list) else [values]
        if not all(isinstance(v, str) and "\r" not in v and "\n" not in v for v in items):
            raise CassetteError(path, f"{where} header {name} must be text or a list of text on one line")
        headers[name] = list(items)
    return headers


def _body(path: str, where: str, value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, str):
        try:
            return value.encode("utf-8")
        except UnicodeEncodeError:
            raise CassetteError(path, f"{where} body is not valid text") from None
    if isinstance(value, dict) and set(value) == {"base64"} and isinstance(value["base64"], str):
        try:
            return base64.b64decode(value["base64"], validate=True)
        except (binascii.Error, ValueError):
            raise CassetteError(path, f"{where} body is not valid base64") from None
    raise CassetteError(path, f"{where} body must be text or {{base64: ...}}, not {_kind(value)}")
