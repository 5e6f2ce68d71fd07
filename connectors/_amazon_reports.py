"""Reports 2021-06-30: report metadata, document references, and turning downloads into text.

A report document is fetched in two steps: ``getReportDocument`` returns a
pre-signed ``url`` (valid 5 minutes) and, for compressed documents,
``compressionAlgorithm: "GZIP"``; the bytes are then downloaded from that URL
*without* any SP-API auth header. :func:`decode_document` gunzips and decodes:
the response's charset first, then UTF-8, then cp1252 (EU settlement files).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ReportInfo", "DocumentRef", "ReportDocument", "report_from_json", "decode_document",
           "SETTLEMENT_REPORT_TYPE"]

SETTLEMENT_REPORT_TYPE = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class ReportInfo:
    """A report's metadata from ``getReports``; for settlements the data times are the settlement period."""

    report_id: str
    report_type: str
    processing_status: str
    created_time: str
    data_start_time: str | None
    data_end_time: str | None
    document_id: str | None
    marketplace_ids: tuple[str, ...]
    raw: dict[str, Any] = field(repr=False, compare=False)


@dataclass(frozen=True)
class DocumentRef:
    """``getReportDocument``'s answer: where to download, and how it is compressed."""

    document_id: str
    url: str = field(repr=False)  # pre-signed: a credential for 5 minutes
    compression: str | None


@dataclass(frozen=True)
class ReportDocument:
    """A downloaded report document: the exact bytes (after gunzip) and their text."""

    document_id: str
    content: bytes = field(repr=False)
    text: str = field(repr=False)
    encoding: str
    compression: str | None


def report_from_json(raw: dict[str, Any]) -> ReportInfo:
    return ReportInfo(
        report_id=str(raw["reportId"]),
        report_type=str(raw["reportType"]),
        processing_status=str(raw["processingStatus"]),
        created_time=str(raw["createdTime"]),
        data_start_time=raw.get("dataStartTime"),
        data_end_time=raw.get("dataEndTime"),
        document_id=raw.get("reportDocumentId"),
        marketplace_ids=tuple(raw.get("marketplaceIds") or ()),
        raw=raw,
    )


def decode_document(document_id: str, body: bytes, compression: str | None,
                    charset: str | None) -> ReportDocument:
    """Gunzip (when GZIP and not already decoded in transit) and decode ``body``."""
    content = body
    if compression == "GZIP" and body[:2] == _GZIP_MAGIC:
        content = gzip.decompress(body)
    candidates = [c for c in (charset, "utf-8", "cp1252") if c]
    for encoding in candidates:
        try:
            text = content.decode("utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        return ReportDocument(document_id, content, text, encoding, compression)
    return ReportDocument(document_id, content, content.decode("cp1252", errors="replace"), "cp1252", compression)
