"""NetSuite: REST web services and SuiteQL with token-based authentication, in the domain's words.

- :class:`NetSuiteClient` (``_client``): the record service and SuiteQL over one signed
  HTTP client; :class:`NetSuiteCredentials` and :class:`NetSuiteAuth` (``_auth``): TBA
  (:class:`UnsignedTBA`: its header without a signature, for replayed requests).
- :class:`NetSuiteRecords` (``_records``): items, customers, sales orders, refunds by
  transform, settlement postings and the createdFrom chain, taking and returning
  domain values; writes bounded and idempotent (``_writes``).
- :func:`add_currency_hint` (``_currency_hints``): what to do about a currency the account lacks,
  saying that Multiple Currencies cannot be turned off once used.
- :data:`external_ids` (``_external_ids``): the external id of every record syncproof makes.
- ``_suiteql``: the one SuiteQL quoting function (:func:`literal`) and the one pager
  (:func:`rows`, :func:`rows_by_date`); ``_queries``: the SuiteQL the sync runs;
  :mod:`.reads`: the bulk reads of an audit; :mod:`.settlements`: Amazon settlements as the NetSuite
  Connector posts them (settlement items, fee lines on billed records, summary transactions) and
  their footprint read back.
- ``_bodies``: REST bodies from domain values, and records read back as domain values.

Nothing outside this package imports its ``_`` modules: the names below are its surface.
"""

from __future__ import annotations

from . import reads, settlements
from ._auth import (
                    NetSuiteAuth,
                    NetSuiteCredentials,
                    UnsignedTBA,
                    account_base_url,
                    is_sandbox_account,
                    is_valid_account_id,
                    realm_for,
)
from ._bodies import (
                    ADJUSTMENT_DESCRIPTION,
                    SHIPPING_DESCRIPTION,
                    BilledLine,
                    BillingRecord,
                    ItemLine,
                    PostingLine,
                    line_rate,
)
from ._client import NetSuiteClient
from ._currency_hints import add_currency_hint
from ._external_ids import external_ids
from ._guard import PRODUCTION_HOST_GUARD, is_sandbox_host
from ._records import CurrencyUnknown, CurrencyUnresolved, FoundRecord, NetSuiteRecords, SubsidiaryRefused
from ._suiteql import SUITEQL_MAX_PAGE, SUITEQL_ROW_LIMIT, PageProgress, date_literal, in_list, literal
from ._writes import WRITE_ATTEMPTS, WriteGaveUp, is_transient

__all__ = [
    "NetSuiteAuth", "NetSuiteClient", "NetSuiteCredentials", "UnsignedTBA", "account_base_url", "realm_for",
    "is_sandbox_account", "is_valid_account_id", "is_sandbox_host", "PRODUCTION_HOST_GUARD",
    "NetSuiteRecords", "FoundRecord", "SubsidiaryRefused", "CurrencyUnknown", "CurrencyUnresolved",
    "add_currency_hint",
    "BilledLine", "BillingRecord", "ItemLine", "PostingLine", "line_rate",
    "SHIPPING_DESCRIPTION", "ADJUSTMENT_DESCRIPTION", "external_ids",
    "WRITE_ATTEMPTS", "WriteGaveUp", "is_transient",
    "SUITEQL_MAX_PAGE", "SUITEQL_ROW_LIMIT", "PageProgress", "literal", "date_literal", "in_list", "reads",
    "settlements",
]
