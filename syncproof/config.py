"""``syncproof.toml``: the run's target and driver, the accounts, and each channel's settings.

One schema (:data:`SCHEMA`) drives validation, the suggestions for misspelt keys,
``syncproof init``'s commented starter file and ``syncproof settings show``.
Secrets are never in the file: it names the environment variables that hold them.

    >>> config = parse_config({})                # load_config("syncproof.toml") reads and parses the file
    >>> config.channel("shopify").refunds.invoice_refund
    'credit_memo'
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator, Mapping

from . import channels as channel_registry
from .atomic import MAX_CONFIG_BYTES, FileTooLarge, NotARegularFile, read_regular_text, write_text
from .connector_defects import parse_defects
from .errors import ConfigError, MissingSecret, SettingsRefused
from .footprints import sales_order_channel_field
from .settings_keys import Key
from .settings_keys import key as _k

__all__ = [
    "CONFIG_FILE",
    "SCHEMA",
    "Config",
    "ProjectConfig",
    "NetSuiteConfig",
    "ChannelConfig",
    "RefundSettings",
    "SettlementConfig",
    "load_config",
    "parse_config",
    "secret",
    "starter_file",
]

CONFIG_FILE = "syncproof.toml"
TARGETS = ("sandbox", "replay", "record", "live")
DRIVERS = ("engine", "connector")




REFUND_KEYS = (
    _k("direction", str, "to_netsuite", "where refunds start: to_netsuite (cart/marketplace refunds post to "
       "NetSuite) or from_netsuite (NetSuite refunds push to the cart)", ("to_netsuite", "from_netsuite")),
    _k("cash_sale_refund", str, "cash_refund", "record made when a cash sale is refunded (NetSuite allows "
       "only cash_refund)", ("cash_refund", "credit_memo")),
    _k("invoice_refund", str, "credit_memo", "record made when an invoice is refunded (NetSuite allows only "
       "credit_memo)", ("credit_memo", "cash_refund")),
    _k("return_authorization", bool, False, "create a return authorization first, then the refund record from it"),
    _k("customer_refund", bool, False, "after a credit memo, add a customer refund that pays it out"),
    _k("positive_adjustment_item", str, "Refund Adjustment",
       "NetSuite item (itemId) for shipping and other amounts refunded that are not item lines"),
    _k("negative_adjustment_item", str, "Refund Fee",
       "NetSuite item (itemId) for amounts withheld from a refund (restocking fees)"),
    _k("restock", str, "return", "restock type of refunded lines", ("return", "cancel", "no_restock")),
    _k("refund_account", str, "", "account the cash refund is paid from (empty: NetSuite's default)"),
    _k("payment_method", str, "", "payment method on cash refunds and customer refunds (empty: default)"),
    _k("refund_shipping", bool, True, "refund shipping when the channel refunds it"),
    _k("refund_tax", bool, True, "refund tax as it was charged"),
)

#: The tables every configuration has; each channel adds ``[<channel>]`` and ``[<channel>.refunds]``.
_CORE_TABLES: dict[str, tuple[Key, ...]] = {
    "project": (
        _k("name", str, "syncproof acceptance", "project name shown on the report"),
        _k("go_live", dt.date, dt.date(2026, 1, 5), "go-live date of the NetSuite Connector (YYYY-MM-DD)"),
        _k("settlement_wait_weeks", int, 3, "weeks after go-live before a settlement qualifies for testing"),
        _k("target", str, "sandbox", "where HTTP goes: sandbox (embedded emulators), replay (cassettes), "
           "record (write cassettes), live (your accounts)", TARGETS),
        _k("driver", str, "engine", "who performs the syncs: engine (syncproof) or connector (the real "
           "NetSuite Connector, polled)", DRIVERS),
        _k("features", str, "features", "folder of Gherkin features"),
        _k("reports", str, "reports/out", "folder the report, results JSON and JUnit XML go to"),
        _k("poll_interval_seconds", int, 30, "connector driver: seconds between polls"),
        _k("poll_timeout_seconds", int, 1800, "connector driver: give up after this many seconds"),
    ),
    "netsuite": (
        _k("account_id", str, "1234567_SB1", "NetSuite account id (sandbox accounts end in _SB1, _SB2...)"),
        _k("auth", str, "tba", "authentication: tba (token-based, OAuth 1.0a HMAC-SHA256)", ("tba",)),
        _k("base_url", str, "", "REST base URL override; empty derives it from account_id"),
        _k("max_concurrency", int, 5, "simultaneous requests (accounts allow 5, +10 per SuiteCloud Plus licence)"),
        _k("consumer_key_env", str, "NETSUITE_CONSUMER_KEY", "environment variable holding the consumer key"),
        _k("consumer_secret_env", str, "NETSUITE_CONSUMER_SECRET", "environment variable holding the consumer secret"),
        _k("token_id_env", str, "NETSUITE_TOKEN_ID", "environment variable holding the token id"),
        _k("token_secret_env", str, "NETSUITE_TOKEN_SECRET", "environment variable holding the token secret"),
        _k("order_id_field", str, "otherRefNum", "sales order field holding the channel order id"),
        _k("channel_field", str, sales_order_channel_field(), "sales order body field naming the channel an order "
           "came from (the NetSuite Connector's storefront field); empty: orders carry none, the audit tells channels "
           "apart by their order ids alone"),
        _k("subsidiary", str, "", "subsidiary id for created customers (OneWorld accounts)"),
    ),
}
_LATE_TABLES: dict[str, tuple[Key, ...]] = {
    "sandbox": (
        _k("faults", str, "", "fault injection in the emulators, e.g. \"seed=42,rate=0.1\" (kinds: 429, 500, 502, "
           "503, timeout, reset, slow, lost_response); SYNCPROOF_FAULTS overrides; empty for none"),
        _k("connector_defects", str, "", "defects the sandbox NetSuite Connector makes, comma-separated names from the "
           "defect catalogue (syncproof.connector_defects), each made in every scenario or, as name@<-k expression>, "
           "in those the expression picks; SYNCPROOF_CONNECTOR_DEFECTS overrides; empty for none"),
    ),
    "settlement": (
        _k(
            "posting",
            str,
            "netsuite_connector",
            "how settlements are posted: netsuite_connector (Oracle's NetSuite Connector: fees as lines on the "
            "order's billed record, non-order amounts in one summary cash sale or cash refund, refunds against the "
            "order), or one deposit or journal entry per settlement",
            ("netsuite_connector", "deposit", "journal_entry"),
        ),
        _k(
            "customer",
            str,
            "",
            "customer (entityId) named on each deposit or journal line, e.g. \"Amazon.com\"; empty for none",
        ),
        _k("customer_internal_id", str, "",
           "netsuite_connector: internal id of the settlement customer the summary cash sales and cash refunds "
           "are made for (Oracle: Customer Internal ID)"),
        _k("sku_field", str, "itemId", "netsuite_connector: item field matched against settlement fee types and "
           "SKUs (Oracle: NetSuite SKU Field)"),
        _k("days_back", int, 20, "days back to search for settlement reports (at least 20)"),
        _k("merge_refunds", bool, False, "netsuite_connector: post all refunds of a report in one summary refund"),
        _k("merge_order_fees", bool, False,
           "netsuite_connector: post all order fees and credits in one summary transaction, not on each order"),
        _k("split_by_month", bool, False,
           "netsuite_connector: split summary transactions that span two months into one per month"),
        _k("refunds_as_credit_memos", bool, False, "netsuite_connector: post refunds as credit memos"),
        _k("bank_account", str, "",
           "bank account the Amazon payout lands in: deposit and journal_entry posting use it; when set, the "
           "deposit in it dated on or after the deposit-date must equal the total-amount (AS-4)"),
    ),
    # free-form: "<category>" | "<amount-type>" | "<amount-type>/<amount-description>" | "exceptions" = "account name"
    "settlement.accounts": (),
}


def _tables() -> dict[str, tuple[Key, ...]]:
    tables = dict(_CORE_TABLES)
    for spec in channel_registry.specs():
        tables[spec.name] = spec.table()
        tables[f"{spec.name}.refunds"] = REFUND_KEYS
    tables.update(_LATE_TABLES)
    return tables


class _Schema(Mapping[str, tuple[Key, ...]]):
    """Table name -> its keys, in file order: the core tables and every registered channel's."""

    def __getitem__(self, table: str) -> tuple[Key, ...]:
        return _tables()[table]

    def __iter__(self) -> Iterator[str]:
        return iter(_tables())

    def __len__(self) -> int:
        return len(_tables())


SCHEMA: Mapping[str, tuple[Key, ...]] = _Schema()

#: The account each settlement category posts to by default ([settlement.accounts] overrides).
_DEFAULT_ACCOUNTS = {
    "order_item": "Sales",
    "order_fee": "Amazon Selling Fees",
    "refund": "Sales Returns and Allowances",
    "refund_fee": "Amazon Selling Fees",
    "reserve": "Amazon Clearing",
    "storage": "Amazon FBA Fees",
    "subscription": "Amazon Selling Fees",
    "advertising": "Advertising Fees",
    "reimbursement": "Marketplace Reimbursements",
    "removal": "Amazon FBA Fees",
    "liquidation": "Marketplace Reimbursements",
    "other": "Amazon Clearing",
    "exceptions": "Amazon Clearing",
}


@dataclass(frozen=True)
class RefundSettings:
    """A channel's refund settings (``[<channel>.refunds]``)."""

    direction: str = "to_netsuite"
    cash_sale_refund: str = "cash_refund"
    invoice_refund: str = "credit_memo"
    return_authorization: bool = False
    customer_refund: bool = False
    positive_adjustment_item: str = "Refund Adjustment"
    negative_adjustment_item: str = "Refund Fee"
    restock: str = "return"
    refund_account: str = ""
    payment_method: str = ""
    refund_shipping: bool = True
    refund_tax: bool = True

    def changed(self, table: str, key: str, value: Any) -> "RefundSettings":
        """A copy with ``key`` set from text or a value, validated like the file."""
        spec = _key(table, key)
        new = replace(self, **{key: _coerce(spec, value, f"setting [{table}]")})
        return new


@dataclass(frozen=True)
class ChannelConfig:
    name: str
    enabled: bool
    base_url: str
    test_store: bool
    billing: str
    refunds: RefundSettings
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProjectConfig:
    name: str
    go_live: dt.date
    settlement_wait_weeks: int
    target: str
    driver: str
    features: str
    reports: str
    poll_interval_seconds: int
    poll_timeout_seconds: int


@dataclass(frozen=True)
class NetSuiteConfig:
    account_id: str
    auth: str
    base_url: str
    max_concurrency: int
    consumer_key_env: str
    consumer_secret_env: str
    token_id_env: str
    token_secret_env: str
    order_id_field: str
    subsidiary: str
    channel_field: str = ""


@dataclass(frozen=True)
class SettlementConfig:
    posting: str
    customer: str
    days_back: int
    bank_account: str
    accounts: dict[str, str]
    customer_internal_id: str = ""
    sku_field: str = "itemId"
    merge_refunds: bool = False
    merge_order_fees: bool = False
    split_by_month: bool = False
    refunds_as_credit_memos: bool = False


@dataclass(frozen=True)
class Config:
    """The whole validated configuration; ``channels`` holds each registered channel's table."""

    path: Path | None
    project: ProjectConfig
    netsuite: NetSuiteConfig
    channels: Mapping[str, ChannelConfig]
    settlement: SettlementConfig
    sandbox_faults: str | dict[str, Any] = ""  # the string syntax, or a [sandbox.faults] table
    sandbox_connector_defects: str = ""

    def channel(self, name: str) -> ChannelConfig:
        try:
            return self.channels[name]
        except KeyError:
            raise ConfigError(f"unknown channel {name!r}", f"use one of: {', '.join(self.channels)}") from None

    def __getattr__(self, name: str) -> ChannelConfig:
        channels = self.__dict__.get("channels") or {}
        if name in channels:  # config.shopify is config.channel("shopify")
            return channels[name]
        raise AttributeError(name)

    def with_overrides(self, **project: Any) -> "Config":
        """A copy with project keys (target, driver...) set from the command line."""
        values = {k: v for k, v in project.items() if v is not None}
        for key, value in values.items():
            _coerce(_key("project", key), value, "option")
        return replace(self, project=replace(self.project, **values))

    def _with_channel(self, channel: ChannelConfig) -> "Config":
        return replace(self, channels={**self.channels, channel.name: channel})

    def with_billing(self, channel: str, billing: str) -> "Config":
        """A copy billing ``channel`` orders as ``cash_sale`` or ``invoice``."""
        spec = _key(channel, "billing")
        return self._with_channel(replace(self.channel(channel), billing=_coerce(spec, billing, f"[{channel}]")))

    def with_refund_settings(self, channel: str, settings: RefundSettings) -> "Config":
        validate_refund_settings(channel, settings)
        return self._with_channel(replace(self.channel(channel), refunds=settings))


# --- validation ---------------------------------------------------------------------------

def _shown(name: str) -> str:
    """A table, key or path name as one line of text (control characters escaped)."""
    return name if name.isprintable() else repr(name)


def _key(table: str, key: str) -> Key:
    keys = SCHEMA.get(table)
    if keys is None:
        raise ConfigError(f"unknown table [{_shown(table)}]", _suggest(table, SCHEMA))
    for spec in keys:
        if spec.name == key:
            return spec
    raise ConfigError(f"[{_shown(table)}] has no key {key!r}", _suggest(key, [k.name for k in keys]))


def _suggest(word: str, options) -> str:
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    if match:
        return f'did you mean "{match[0]}"?'
    return "valid keys: " + ", ".join(sorted(options))


def _coerce(spec: Key, value: Any, where: str) -> Any:
    label = f"{where} {spec.name}"
    if spec.kind is bool:
        if isinstance(value, str) and value.lower() in ("true", "false", "yes", "no", "on", "off"):
            value = value.lower() in ("true", "yes", "on")
        if not isinstance(value, bool):
            raise ConfigError(f"{label} must be true or false, not {value!r}", f"write {spec.name} = true or false")
    elif spec.kind is int:
        if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ConfigError(
                f"{label} must be a whole number, not {value!r}", f"write for example {spec.name} = {spec.default}"
            )
        if value < 0:
            raise ConfigError(
                f"{label} must not be negative ({value})", f"write for example {spec.name} = {spec.default}"
            )
    elif spec.kind is dt.date:
        if isinstance(value, dt.datetime):
            value = value.date()
        elif isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                raise ConfigError(f"{label} is not a date: {value!r}",
                                  f"write it as YYYY-MM-DD, for example {spec.name} = {spec.default}") from None
        if not isinstance(value, dt.date):
            raise ConfigError(
                f"{label} is not a date: {value!r}", f"write it as YYYY-MM-DD, for example {spec.name} = {spec.default}"
            )
    else:
        if not isinstance(value, str):
            raise ConfigError(f"{label} must be text, not {value!r}", f'write it in quotes: {spec.name} = "{value}"')
    if spec.choices and value not in spec.choices:
        raise ConfigError(
            f"{label} is {value!r}, which is not allowed",
            f"choose one of: {', '.join(spec.choices)}"
            + (f' (did you mean "{m[0]}"?)' if (m := difflib.get_close_matches(str(value), spec.choices, 1)) else ""),
        )
    return value


def validate_refund_settings(channel: str, settings: RefundSettings) -> None:
    """Refuse combinations NetSuite or the channel cannot honour."""
    table = f"[{channel}.refunds]"
    spec = channel_registry.get(channel)
    refused = spec.validate_refunds(settings)
    if refused:
        raise SettingsRefused(f"{table} direction = {settings.direction!r} is not possible: {refused}",
                              f'use direction = "{spec.refund_directions[0]}"')
    if settings.cash_sale_refund != "cash_refund":
        raise SettingsRefused(
            f"{table} cash_sale_refund = {settings.cash_sale_refund!r} is not possible: NetSuite refunds a cash "
            "sale with a cash refund (a credit memo applies to invoices only)", 'use cash_sale_refund = "cash_refund"')
    if settings.invoice_refund != "credit_memo":
        raise SettingsRefused(
            f"{table} invoice_refund = {settings.invoice_refund!r} is not possible: NetSuite refunds an invoice "
            "with a credit memo (a cash refund applies to cash sales only)", 'use invoice_refund = "credit_memo"')
    if not settings.positive_adjustment_item:
        raise SettingsRefused(f"{table} positive_adjustment_item is empty",
                              "name the NetSuite item (itemId) that carries shipping and other refunded amounts")
    if settings.positive_adjustment_item == settings.negative_adjustment_item:
        raise SettingsRefused(f"{table} positive_adjustment_item and negative_adjustment_item are the same item",
                              "use two different Other Charge items")


def _table(raw: dict[str, Any], table: str, where: str) -> dict[str, Any]:
    node: Any = raw
    for part in table.split("."):
        node = node.get(part, {}) if isinstance(node, dict) else {}
    if not isinstance(node, dict):
        raise ConfigError(f"{where} [{table}] must be a table", f"write it as [{table}] followed by key = value lines")
    values: dict[str, Any] = {}
    keys = {spec.name: spec for spec in SCHEMA[table]}
    nested = {t.split(".", 1)[1] for t in SCHEMA if t.startswith(table + ".")}
    for key, value in node.items():
        if key in nested:
            continue
        if key not in keys:
            raise ConfigError(f"{where} [{table}] has an unknown key {key!r}", _suggest(key, keys))
        values[key] = _coerce(keys[key], value, f"{where} [{table}]")
    return {name: values.get(name, spec.default) for name, spec in keys.items()}


def parse_config(raw: dict[str, Any], path: Path | None = None) -> Config:
    """Validate the parsed TOML ``raw``; errors name the file, table and key."""
    where = _shown(str(path)) if path else CONFIG_FILE
    for table in raw:
        if table not in {t.split(".")[0] for t in SCHEMA}:
            raise ConfigError(f"{where} has an unknown table [{_shown(table)}]",
                              _suggest(table, {t.split('.')[0] for t in SCHEMA}))
    channel_names = channel_registry.names()
    for parent in (*channel_names, "settlement"):
        for sub in raw.get(parent, {}) if isinstance(raw.get(parent), dict) else {}:
            if isinstance(raw[parent][sub], dict) and f"{parent}.{sub}" not in SCHEMA:
                raise ConfigError(f"{where} has an unknown table [{parent}.{_shown(sub)}]",
                                  _suggest(f"{parent}.{sub}", [t for t in SCHEMA if t.startswith(parent + ".")]))
    project = ProjectConfig(**_table(raw, "project", where))
    netsuite = NetSuiteConfig(**_table(raw, "netsuite", where))
    channels = {}
    for name in channel_names:
        values = _table(raw, name, where)
        refunds = RefundSettings(**_table(raw, f"{name}.refunds", where))
        validate_refund_settings(name, refunds)
        channels[name] = ChannelConfig(
            name=name, enabled=values.pop("enabled"), base_url=values.pop("base_url", ""),
            test_store=values.pop("test_store"), billing=values.pop("billing"), refunds=refunds, options=values)
    settlement_values = _table(raw, "settlement", where)
    accounts = dict(_DEFAULT_ACCOUNTS)
    custom = raw.get("settlement", {}).get("accounts", {}) if isinstance(raw.get("settlement"), dict) else {}
    if not isinstance(custom, dict):
        raise ConfigError(f"{where} [settlement.accounts] must be a table",
                          'write it as [settlement.accounts] followed by "category" = "Account Name" lines')
    for key, value in custom.items():
        if not isinstance(value, str):
            raise ConfigError(f"{where} [settlement.accounts] {key!r} must name an account, not {value!r}",
                              f'write "{_shown(key)}" = "Account Name"')
        accounts[key] = value
    _check_settlement(settlement_values, where)
    raw_sandbox: dict[str, Any] = raw["sandbox"] if isinstance(raw.get("sandbox"), dict) else {}
    faults_table = raw_sandbox.get("faults") if isinstance(raw_sandbox.get("faults"), dict) else None
    if faults_table is not None:  # [sandbox.faults] as a table: seed, rate, kinds, rates, vendors...
        raw = {**raw, "sandbox": {k: v for k, v in raw_sandbox.items() if k != "faults"}}
    sandbox = _table(raw, "sandbox", where)
    parse_defects(sandbox["connector_defects"], where=f"{where} [sandbox] connector_defects")
    return Config(path=path, project=project, netsuite=netsuite, channels=channels,
                  settlement=SettlementConfig(accounts=accounts, **settlement_values),
                  sandbox_faults=faults_table if faults_table is not None else sandbox["faults"],
                  sandbox_connector_defects=sandbox["connector_defects"])


#: Oracle's leading practice for "Days Back to Search for Settlement Reports".
MIN_SETTLEMENT_DAYS_BACK = 20


def _check_settlement(values: dict[str, Any], where: str) -> None:
    if values["days_back"] < MIN_SETTLEMENT_DAYS_BACK:
        raise ConfigError(f"{where} [settlement] days_back = {values['days_back']} is below "
                          f"{MIN_SETTLEMENT_DAYS_BACK}",
                          f"set days_back to {MIN_SETTLEMENT_DAYS_BACK} or more: a report can arrive days after "
                          "its period ends")
    if values["posting"] in ("deposit", "journal_entry") and not values["bank_account"]:
        raise ConfigError(f"{where} [settlement] posting = \"{values['posting']}\" needs bank_account",
                          "set [settlement] bank_account to the NetSuite bank account the payout lands in")


def load_config(path: str | Path | None = None) -> Config:
    """Read ``syncproof.toml`` (``path``, or the one in the current folder, or defaults when absent)."""
    if path is None:
        candidate = Path(CONFIG_FILE)
        if not candidate.exists():
            return parse_config({}, None)
        path = candidate
    path = Path(path)
    if not path.exists():
        raise ConfigError(
            f"{path} does not exist", "run `syncproof init` to write a starter file, or pass --config PATH"
        )
    return parse_config(_read_toml(path), path)


def _read_toml(path: Path) -> dict[str, Any]:
    """The parsed TOML of ``path``: a regular file of at most 1 MB, nested at most a few hundred levels."""
    try:
        text = read_regular_text(path, limit=MAX_CONFIG_BYTES, encoding="utf-8-sig")
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}", "fix the line it names") from None
    except RecursionError:
        raise ConfigError(f"{path} nests tables or arrays too deeply to be a syncproof configuration",
                          "syncproof.toml needs at most two levels of tables, e.g. [shopify.refunds]") from None
    except NotARegularFile:
        raise ConfigError(f"{path} is not a regular file (a device, FIFO or folder)",
                          "pass the path of a syncproof.toml file") from None
    except FileTooLarge:
        raise ConfigError(f"{path} is larger than {MAX_CONFIG_BYTES:,} bytes, too large for a syncproof configuration",
                          "pass the path of a syncproof.toml file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}", "check the file's permissions and encoding") from None


def load_dotenv_file(path: str | Path = ".env") -> bool:
    """Read credentials from a ``.env`` file (kept out of git) without overriding the environment."""
    from dotenv import load_dotenv

    return Path(path).is_file() and load_dotenv(path, override=False)


def secret(variable: str, purpose: str, environ=os.environ) -> str:
    """The value of the environment variable ``variable``, or a MissingSecret naming it."""
    value = environ.get(variable, "")
    if not value.strip():
        raise MissingSecret(f"the environment variable {variable} ({purpose}) is not set",
                            f"export {variable}=... or put it in a .env file kept out of git")
    return value.strip()


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def starter_file(answers: dict[str, dict[str, Any]] | None = None) -> str:
    """A commented ``syncproof.toml`` with every key at its default (or the given answers)."""
    answers = answers or {}
    lines = ["# syncproof.toml: configuration of a syncproof acceptance run.",
             "# Secrets are never written here: each *_env key names the environment variable holding one.",
             "# Every key is optional; the value shown is the default.", ""]
    for table, keys in SCHEMA.items():
        lines.append(f"[{table}]")
        if table == "settlement.accounts":
            lines.append('# account per settlement category, and optionally per "<amount-type>" or')
            lines.append('# "<amount-type>/<amount-description>" (e.g. "ItemFees/FBAPerUnitFulfillmentFee");')
            lines.append('# "exceptions" holds rows for orders the connector never synced (listed in the report)')
            for key, account in _DEFAULT_ACCOUNTS.items():
                lines.append(f'"{key}" = "{account}"')
        for spec in keys:
            value = answers.get(table, {}).get(spec.name, spec.default)
            choices = f" ({' | '.join(spec.choices)})" if spec.choices else ""
            lines.append(f"# {spec.doc}{choices}")
            lines.append(f"{spec.name} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def set_in_file(path: Path, table: str, key: str, value: Any) -> None:
    """Set ``key`` in ``[table]`` of the TOML file, keeping its comments and layout."""
    spec = _key(table, key)
    value = _coerce(spec, value, f"[{table}]")
    text = ""
    if path.exists():
        _read_toml(path)  # refuse devices, FIFOs, huge or broken files before touching them
        text = read_regular_text(path, limit=MAX_CONFIG_BYTES, encoding="utf-8-sig")
    lines = text.splitlines()
    header = f"[{table}]"
    new_line = f"{key} = {_toml_value(value)}"
    start = next((i for i, line in enumerate(lines) if line.strip() == header), None)
    if start is None:
        lines += ["", header, new_line]
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].strip().startswith("[")), len(lines))
        for i in range(start + 1, end):
            stripped = lines[i].split("#", 1)[0].strip()
            if stripped.split("=", 1)[0].strip() == key and "=" in stripped:
                lines[i] = new_line
                break
        else:
            insert_at = end
            while insert_at > start + 1 and not lines[insert_at - 1].strip():
                insert_at -= 1
            lines.insert(insert_at, new_line)
    new_text = "\n".join(lines) + "\n"
    parse_config(tomllib.loads(new_text), path)  # refuse a change that makes the file invalid
    write_text(path, new_text)


def refund_setting_rows(config: Config) -> list[tuple[str, str, str, str]]:
    """(channel, key, value, doc) for ``syncproof settings show``."""
    rows = []
    for channel in config.channels:
        settings = config.channel(channel).refunds
        for spec in REFUND_KEYS:
            rows.append((channel, spec.name, _toml_value(getattr(settings, spec.name)).strip('"'), spec.doc))
    return rows

