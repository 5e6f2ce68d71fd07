"""Validate JSON bodies against the official SP-API Swagger 2.0 models with jsonschema.

Swagger 2.0 definitions are JSON Schema draft 4 plus ``x-`` extensions, with refs
written ``#/definitions/Name``. Each model file is registered as one draft-4
resource under ``urn:sp-api:<file>``, so those refs resolve inside their own
file; ``additionalProperties`` is enforced exactly where the model states it.
``format: date-time`` is checked (ISO 8601 as Python parses it).
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPECS = Path(__file__).resolve().parents[1] / "vendor_specs" / "sp-api"

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if isinstance(value, str):
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@lru_cache(maxsize=None)
def spec(name: str) -> dict[str, Any]:
    return json.loads((SPECS / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _registry() -> Registry:
    resources = [(f"urn:sp-api:{path.name}", Resource.from_contents(spec(path.name), default_specification=DRAFT4))
                 for path in sorted(SPECS.glob("*.json"))]
    return Registry().with_resources(resources)


def validator(model: str, definition: str) -> Draft4Validator:
    """A validator for ``#/definitions/<definition>`` of ``model`` (e.g. ``ordersV0.json``)."""
    return Draft4Validator({"$ref": f"urn:sp-api:{model}#/definitions/{definition}"},
                           registry=_registry(), format_checker=FORMATS)


def response_validator(model: str, path: str, status: int, method: str = "get") -> Draft4Validator:
    """A validator for the schema the model declares for ``method path`` answering ``status``."""
    schema = spec(model)["paths"][path][method]["responses"][str(status)]["schema"]
    ref = schema["$ref"].split("/")[-1]
    return validator(model, ref)


def errors_of(validator_: Draft4Validator, body: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator_.iter_errors(body)]
