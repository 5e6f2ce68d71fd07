"""What a sign-off's hash and keyed signature cover, and how they are computed.

The **sealed bytes** of a results document are the document *with* its sign-off record
(name, role, decision, comment, time, verdict signed against...) but without the seal's
own fields (:data:`SEAL_FIELDS`), serialised as JSON with sorted keys, ``(",", ":")``
separators and UTF-8. So editing the decision or the signer breaks the hash exactly as
editing a scenario does.

- ``results_sha256``: SHA-256 of the sealed bytes. Anyone can recompute it, so it proves
  nothing on its own unless it is recorded **outside the file** (``syncproof signoff``
  prints it for the sign-off email or ticket; ``report verify --sha256`` checks it).
- ``signature``: HMAC-SHA256 of the sealed bytes with the key in
  ``$SYNCPROOF_SIGNING_KEY`` (when set at sign-off). Without the key, an edited file with
  a recomputed hash cannot pass: ``report verify`` with the key set refuses a sign-off
  that has no signature or whose signature does not match.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from typing import Any, Mapping

__all__ = ["SEAL_FIELDS", "HASH_COVERS", "SIGNATURE_ALG", "KEY_VARIABLE", "sealed_bytes", "seal_hash",
           "signature", "signing_key", "signature_matches"]

SEAL_FIELDS = ("results_sha256", "hash_covers", "signature", "signature_alg")
SIGNATURE_ALG = "hmac-sha256"
KEY_VARIABLE = "SYNCPROOF_SIGNING_KEY"
HASH_COVERS = ("results.json including its sign-off record, without the sign-off's results_sha256, signature, "
               "signature_alg and hash_covers fields, as JSON with sorted keys, compact separators, UTF-8")


def sealed_bytes(results: Mapping[str, Any]) -> bytes:
    """The bytes the hash and the signature cover (see the module docstring)."""
    body = dict(results)
    signoff = body.get("signoff")
    if isinstance(signoff, dict):
        body["signoff"] = {k: v for k, v in signoff.items() if k not in SEAL_FIELDS}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def seal_hash(results: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of :func:`sealed_bytes`."""
    return hashlib.sha256(sealed_bytes(results)).hexdigest()


def signing_key(environ: Mapping[str, str] = os.environ) -> bytes | None:
    """The signing key from ``$SYNCPROOF_SIGNING_KEY``, or None when unset or blank."""
    value = environ.get(KEY_VARIABLE, "")
    return value.encode("utf-8") if value.strip() else None


def signature(results: Mapping[str, Any], key: bytes) -> str:
    """HMAC-SHA256 (hex) of :func:`sealed_bytes` with ``key``."""
    return hmac.new(key, sealed_bytes(results), hashlib.sha256).hexdigest()


def signature_matches(results: Mapping[str, Any], key: bytes, claimed: str) -> bool:
    """Whether ``claimed`` is the signature of ``results`` under ``key`` (constant-time compare)."""
    return hmac.compare_digest(signature(results, key), str(claimed or ""))
