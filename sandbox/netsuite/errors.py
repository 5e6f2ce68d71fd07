"""NetSuite's REST error bodies, and the exception the emulator raises to produce them.

Every error NetSuite's REST web services send has the same shape (RFC 9457-like,
with Oracle's ``o:`` extensions), served as
``application/vnd.oracle.resource+json; type=error``::

    {
      "type": "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.5",
      "title": "Not Found",
      "status": 404,
      "o:errorDetails": [
        {"detail": "...", "o:errorCode": "NONEXISTENT_ID", "o:errorPath": "..."}
      ]
    }

Error codes used by the emulator (from Oracle's REST web services documentation
and from bodies captured from real accounts):

    400 USER_ERROR                 business rule refused (over-refund, unbalanced journal, ...)
    400 INVALID_CONTENT            malformed body; unknown item on a sublist line
    400 INVALID_KEY_OR_REF         unknown header reference (entity, account, currency, doc)
    400 INVALID_RCRD_TRANSFRM      transformation between the two types is not allowed
    400 DUP_RCRD                   the external id is already used by another record
    400 INVALID_PARAMETER          bad query parameter, or a SuiteQL query NetSuite rejects
    400 INVALID_HEADER             SuiteQL request without ``Prefer: transient``
    401 INVALID_LOGIN              the TBA signature, token or realm does not verify
    404 NONEXISTENT_ID             no record with that id / external id
    429 CONCURRENCY_LIMIT_EXCEEDED too many requests in flight
"""

from __future__ import annotations

from typing import Any

__all__ = ["NetSuiteError", "ERROR_CONTENT_TYPE", "error_body"]

ERROR_CONTENT_TYPE = "application/vnd.oracle.resource+json; type=error"

_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
}
_TYPES = {
    400: "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1",
    401: "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2",
    403: "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.4",
    404: "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.5",
    405: "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.6",
    415: "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.16",
    429: "https://www.rfc-editor.org/rfc/rfc6585.html#section-4",
    500: "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.1",
}

INVALID_LOGIN_DETAIL = (
    "Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI "
    "at Setup > Users/Roles > User Management > View Login Audit Trail."
)


class NetSuiteError(Exception):
    """An error the emulator answers with NetSuite's error body.

        >>> raise NetSuiteError(404, "NONEXISTENT_ID", "Record not found.", path="id")
    """

    def __init__(self, status: int, code: str, detail: str, *, path: str | None = None,
                 query_param: str | None = None) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail
        self.path = path
        self.query_param = query_param

    def body(self) -> dict[str, Any]:
        return error_body(self.status, self.code, self.detail, path=self.path,
                          query_param=self.query_param)


def error_body(status: int, code: str, detail: str, *, path: str | None = None,
               query_param: str | None = None) -> dict[str, Any]:
    """The JSON body NetSuite sends for an error."""
    entry: dict[str, Any] = {"detail": detail}
    if query_param is not None:
        entry["o:errorQueryParam"] = query_param
    entry["o:errorCode"] = code
    if path is not None:
        entry["o:errorPath"] = path
    return {
        "type": _TYPES.get(status, "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1"),
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "o:errorDetails": [entry],
    }


# shortcuts ------------------------------------------------------------------
def not_found(record_type: str, key: str) -> NetSuiteError:
    return NetSuiteError(
        404, "NONEXISTENT_ID",
        f"The record instance does not exist. Provide a valid record instance ID "
        f"({record_type} {key}).", path="id")


def user_error(detail: str, path: str | None = None) -> NetSuiteError:
    return NetSuiteError(400, "USER_ERROR", f"Error while accessing a resource. {detail}", path=path)


def bad_reference(field: str, value: Any, path: str | None = None) -> NetSuiteError:
    return NetSuiteError(400, "INVALID_KEY_OR_REF",
                         f"Invalid {field} reference key {value}.", path=path or field)


def invalid_content(detail: str, path: str | None = None) -> NetSuiteError:
    return NetSuiteError(400, "INVALID_CONTENT", detail, path=path)
