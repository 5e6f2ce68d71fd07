"""The ``syncproof`` command.

Errors a user can cause print as one line (what, where, how to fix) and exit 2;
``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from connectors import ConnectorError

from . import config as config_mod
from .atomic import write_text
from .errors import SyncproofError

if TYPE_CHECKING:
    import pytest
    from rich.console import Console

#: Not on a terminal (a pipe, CI, a file) lines are never wrapped: one line stays one line.
NO_WRAP_WIDTH = 1000


class _LazyConsole:
    """A rich console made when a command first prints: rich is most of what ``syncproof --help`` would
    otherwise import, and many commands print through it only at their end."""

    def __init__(self, stderr: bool = False) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def __getattr__(self, name: str):
        if self._console is None:
            from rich.console import Console

            stream = sys.stderr if self._stderr else sys.stdout
            self._console = Console(stderr=self._stderr, highlight=False,
                                    width=None if stream.isatty() else NO_WRAP_WIDTH)
        return getattr(self._console, name)


console = cast("Console", _LazyConsole())
err_console = cast("Console", _LazyConsole(stderr=True))


def escape(markup: str) -> str:
    """Text shown as it is, never read as rich markup."""
    from rich.markup import escape as rich_escape

    return rich_escape(markup)

SCENARIOS_MODULE = Path("steps") / "test_scenarios.py"


class ChannelChoice(click.Choice):
    """``--channel``: one of the registered channels (read when the option is parsed)."""

    def __init__(self) -> None:
        super().__init__([])

    @property
    def choices(self):
        from .channels import names

        return names()

    @choices.setter
    def choices(self, value) -> None:
        pass


def _load(path: str | None) -> config_mod.Config:
    return config_mod.load_config(path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="show tracebacks instead of one-line errors")
@click.version_option(package_name="syncproof")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Go-live acceptance and regression suite for refund sync and Amazon settlement sync with NetSuite."""
    ctx.obj = {"debug": debug}


# --- run ------------------------------------------------------------------------------------

@cli.command()
@click.option("--config", "config_path", default=None, help="syncproof.toml to use (default ./syncproof.toml)")
@click.option("--target", type=click.Choice(config_mod.TARGETS), default=None, help="where HTTP goes")
@click.option("--driver", type=click.Choice(config_mod.DRIVERS), default=None, help="who performs the syncs")
@click.option("-k", "keyword", default=None, help="only scenarios matching this pytest -k expression")
@click.option("-m", "--tags", default=None, help="only scenarios with these tags, e.g. 'RS-MN-2 and shopify'")
@click.option("-n", "--workers", default=None, help="run scenarios in parallel (pytest-xdist), e.g. -n 2 or auto")
@click.option("--report-dir", default=None, help="where the report goes (default [project] reports)")
@click.option("--interactive", is_flag=True, help="steps that need a person prompt for it")
@click.option("--allow-production-writes", is_flag=True, help="allow writes to non-sandbox accounts (warned)")
@click.option("--audit", is_flag=True, help="run the read-only audit of what the connector already synced")
@click.option("--since", default=None, help="audit window start, YYYY-MM-DD (default: 30 days before --until)")
@click.option("--until", default=None, help="audit window end, exclusive (default: now)")
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def run(ctx: click.Context, config_path, target, driver, keyword, tags, workers, report_dir, interactive,
        allow_production_writes, audit, since, until, pytest_args) -> None:
    """Run the acceptance scenarios in features/ and write the report.

    Extra arguments after -- go to pytest unchanged.
    """
    cfg = _load(config_path).with_overrides(target=target, driver=driver)
    if cfg.project.driver == "connector" and cfg.project.target in ("replay", "record"):
        raise SyncproofError(f"--driver connector waits for a NetSuite Connector, which the "
                             f"{cfg.project.target} target does not have",
                             "use --target sandbox (the sandbox NetSuite Connector) or live, or --driver engine")
    if not SCENARIOS_MODULE.exists():
        raise SyncproofError(f"{SCENARIOS_MODULE} not found in {Path.cwd()}",
                             "run syncproof from the root of your syncproof checkout")
    debug = bool(ctx.obj and ctx.obj.get("debug"))
    # one line per scenario from syncproof's progress and one per failure in its summary: pytest's
    # progress characters, failure section and short summary are left out (tracebacks with --debug)
    args = [str(SCENARIOS_MODULE), "-p", "no:cacheprovider", "-o", "testpaths=steps", "-q", "--no-header",
            "-o", "console_output_style=classic", "-rN",
            "--tb=long" if debug else "--tb=no",
            "--syncproof-progress", "all",
            "--target", cfg.project.target, "--driver", cfg.project.driver,
            "--syncproof-report-dir", report_dir or cfg.project.reports]
    if config_path:
        args += ["--syncproof-config", config_path]
    if keyword:
        args += ["-k", keyword]
    if tags:
        args += ["-m", tags]
    args += ["-n", workers or "0"]  # one process unless asked (the test suite's addopts run it on every core)
    if interactive:
        args += ["--interactive", "-s"]
    if audit or since or until:
        from .audit._window import AuditWindow, check_vendor_windows

        check_vendor_windows(cfg, AuditWindow.parse(since, until))  # one line, before anything runs or is written
        args.append("--audit")
        tags = tags or "audit"
        args += ["-m", tags] if "-m" not in args else []
    if since:
        args += ["--since", since]
    if until:
        args += ["--until", until]
    if allow_production_writes:
        err_console.print("[bold yellow]warning:[/] --allow-production-writes: writes to production accounts "
                          "are allowed for this run; the report records it")
        args.append("--allow-production-writes")
    elif cfg.project.target == "live":
        _refuse_production_writes(cfg, tags)
    extra = list(pytest_args)
    record_from = "live" if "--record-from=live" in extra or any(
        a == "--record-from" and b == "live" for a, b in zip(extra, extra[1:], strict=False)) else "sandbox"
    if cfg.project.target == "live" or (cfg.project.target == "record" and record_from == "live"):
        _preflight(cfg, allow_production_writes, [*args, *pytest_args])
    _check_writable(Path(report_dir or cfg.project.reports))
    args += list(pytest_args)
    console.print(f"syncproof: target [bold]{cfg.project.target}[/], driver [bold]{cfg.project.driver}[/]")
    import pytest

    watch = _SessionWatch()
    code = pytest.main(args, plugins=[watch])
    if watch.unreadable:
        for line in watch.unreadable[:-1]:
            err_console.print(f"[bold red]error:[/] {escape(line)}", soft_wrap=True)
        _fail(watch.unreadable[-1], EXIT_USER_ERROR)
    raise SystemExit(EXIT_INTERRUPTED if watch.interrupted else int(code))


class _SessionWatch:
    """What a run's exit code and last lines need from its pytest session.

    - ``interrupted``: the user interrupted it (Ctrl-C, or a stop from the workbench), told apart from
      pytest's other "interrupted" sessions, such as one whose feature file does not parse, which
      pytest exits with the same code (2, a problem you can fix).
    - ``unreadable``: one line per feature file or step module that could not be collected, naming
      the file, the line and what to fix (the run shows no traceback unless ``--debug``), with ``-n`` as
      in one process (:mod:`syncproof.unreadable`).
    """

    def __init__(self) -> None:
        self.interrupted = False
        self.unreadable: list[str] = []

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        from .stopping import stop_requested

        self.interrupted = type(excinfo.value) is KeyboardInterrupt or stop_requested()

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        from .report.collector import PLUGIN_NAME

        # the report collector keeps them for the verdict (once each, whichever worker collected the file)
        self.unreadable = list(getattr(session.config.pluginmanager.get_plugin(PLUGIN_NAME), "unreadable", ()))


def _preflight(cfg: config_mod.Config, allow_production_writes: bool, run_arguments: list[str]) -> None:
    """Live runs, before any scenario: every missing credential, unresolvable host and failed authentication of
    NetSuite and the channels the scenarios ``run_arguments`` select talk to; one line for each enabled channel
    they leave out."""
    from .preflight import preflight, unused_channel_lines
    from .runtime import open_runtime
    from .selection import selected_channels

    live = cfg.with_overrides(target="live")
    channels = selected_channels(run_arguments)
    for line in unused_channel_lines(live, channels):
        err_console.print(escape(line), soft_wrap=True)
    problems = preflight(live, lambda c, **kw: open_runtime(c, allow_production_writes=allow_production_writes, **kw),
                         channels)
    if problems:
        for problem in problems:
            err_console.print(f"[bold red]error:[/] {escape(str(problem))}", soft_wrap=True)
        err_console.print(f"pre-flight: {len(problems)} problem(s); no scenario was run", soft_wrap=True)
        raise SystemExit(EXIT_USER_ERROR)


def _check_writable(folder: Path) -> None:
    """Before anything runs: the report folder can be created and written."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise SyncproofError(f"cannot write the report to {folder}: {exc.strerror or exc}",
                             "pass --report-dir with a folder you can write, or free some space") from None


def _refuse_production_writes(cfg: config_mod.Config, tags: str | None) -> None:
    """Before anything runs: a run that writes must aim at sandbox accounts and test stores.

    Audit runs (``-m audit``) only read and are allowed anywhere.
    """
    from connectors.netsuite import is_sandbox_account

    from .errors import ProductionWriteRefused
    from .runtime import netsuite_host_is_sandbox, netsuite_url

    if tags and tags.strip() == "audit":
        return  # the audit only reads: its clients refuse every write by construction
    problems = []
    if not is_sandbox_account(cfg.netsuite.account_id):
        problems.append(f"NetSuite account {cfg.netsuite.account_id} is not a sandbox (_SB) or release-preview (_RP) "
                        "account")
    elif not netsuite_host_is_sandbox(cfg):
        problems.append(f"the NetSuite host {netsuite_url(cfg)} is not a sandbox host (1234567-sb1.suitetalk.api."
                        "netsuite.com)")
    for channel in cfg.channels.values():
        if channel.enabled and not channel.test_store:
            problems.append(f"the {channel.name} store is not declared a test store ([{channel.name}] test_store)")
    if problems:
        raise ProductionWriteRefused(
            "refusing to run: this run creates orders and refunds, but " + "; ".join(problems),
            "point [netsuite] account_id at a sandbox and declare test stores, run only the read-only audit "
            "(-m audit), or pass --allow-production-writes if you really mean it")


# --- init and settings -------------------------------------------------------------------------

@cli.command()
@click.option("--path", default=config_mod.CONFIG_FILE, show_default=True, help="file to write")
@click.option("--force", is_flag=True, help="overwrite an existing file")
def init(path: str, force: bool) -> None:
    """Write a commented starter syncproof.toml (asks a few questions in a terminal)."""
    target = Path(path)
    if target.exists() and not force:
        raise SyncproofError(f"{target} already exists", "pass --force to overwrite it")
    answers: dict[str, dict] = {}
    if sys.stdin.isatty():
        answers["project"] = {
            "name": click.prompt("Project name", default="syncproof acceptance"),
            "go_live": click.prompt("Go-live date (YYYY-MM-DD)", default="2026-01-05"),
        }
        answers["netsuite"] = {"account_id": click.prompt("NetSuite account id", default="1234567_SB1")}
        from .channels import specs

        for spec in specs():  # each channel's account identifiers (Shopify's shop name...)
            keys = {k.name: k for k in spec.keys}
            answers[spec.name] = {name: click.prompt(f"{spec.title} {keys[name].doc}", default=keys[name].default)
                                  for name in spec.identifiers if name in keys}
        text = config_mod.starter_file(answers)
        config_mod.parse_config(__import__("tomllib").loads(text), target)  # validate the answers
    else:
        text = config_mod.starter_file()
    write_text(target, text)
    console.print(f"wrote {escape(str(target))}; secrets go in environment variables (see the *_env keys)")


@cli.group()
def settings() -> None:
    """Show or change the refund settings."""


@settings.command("show")
@click.option("--config", "config_path", default=None)
@click.option("--channel", type=ChannelChoice(), default=None)
def settings_show(config_path, channel) -> None:
    """Print each channel's refund settings."""
    from rich.table import Table

    cfg = _load(config_path)
    table = Table(title="Refund settings", show_lines=False)
    for col in ("channel", "key", "value", "meaning"):
        table.add_column(col)
    for row in config_mod.refund_setting_rows(cfg):
        if channel is None or row[0] == channel:
            table.add_row(*row)
    console.print(table)


@settings.command("set")
@click.option("--config", "config_path", default=config_mod.CONFIG_FILE, show_default=True)
@click.argument("key")
@click.argument("value")
def settings_set(config_path, key, value) -> None:
    """Set KEY (e.g. shopify.refunds.invoice_refund) to VALUE in syncproof.toml; governs the next sync."""
    if key.count(".") < 1:
        raise SyncproofError(f"setting {key!r} needs its table", "write it as shopify.refunds.customer_refund")
    table, name = key.rsplit(".", 1)
    path = Path(config_path)
    config_mod.set_in_file(path, table, name, value)
    console.print(escape(f"{path}: [{table}] {name} = {value}"))


# --- doctor -------------------------------------------------------------------------------------------

@cli.command()
@click.option("--config", "config_path", default=None)
@click.option("--target", type=click.Choice([t for t in config_mod.TARGETS if t in ("sandbox", "live")]), default=None,
              help="systems to check")
def doctor(config_path: str | None, target: str | None) -> None:
    """Check credentials, authentication and permissions of every configured system."""
    cfg = _load(config_path).with_overrides(target=target)
    if cfg.project.target in ("record", "replay"):
        cfg = cfg.with_overrides(target="live")
    from .doctor import diagnose
    from .runtime import open_runtime

    lines = diagnose(cfg, open_runtime)
    for line in lines:
        mark = "[green]ok[/]  " if line.ok else "[red]FAIL[/]"
        fix = f" [yellow]fix:[/] {escape(line.fix)}" if line.fix and not line.ok else ""
        console.print(f"{mark} {line.system:9} {escape(line.check)}: {escape(str(line.detail))}{fix}")
    failed = sum(not line.ok for line in lines)
    console.print(f"{len(lines) - failed} passed, {failed} failed")
    raise SystemExit(1 if failed else 0)


# --- cleanup --------------------------------------------------------------------------------------------

@cli.command("cleanup")
@click.option("--run", "run_tag", required=True, help="the tag a live run printed, e.g. sp20261126093000-1a2b")
@click.option("--config", "config_path", default=None)
@click.option("--dry-run", is_flag=True, help="list what would be deleted")
def cleanup_command(run_tag: str, config_path: str | None, dry_run: bool) -> None:
    """Delete from NetSuite what a live run created, and list what could not be deleted."""
    cfg = _load(config_path).with_overrides(target="live")
    from .cleanup import cleanup
    from .runtime import open_runtime

    runtime = open_runtime(cfg, allow_production_writes=False)
    try:
        report = cleanup(runtime.netsuite, run_tag, dry_run=dry_run, channels=runtime.channels)
    finally:
        runtime.close()
    for line in report.deleted:
        console.print(f"[green]deleted[/] {escape(line)}")
    for line in report.kept:
        console.print(f"[yellow]kept[/]    {escape(line)}")
    for line in report.notes:
        console.print(f"note    {escape(line)}")
    console.print(f"{len(report.deleted)} deleted, {len(report.kept)} could not be deleted")
    raise SystemExit(1 if report.kept else 0)


# --- engine state -------------------------------------------------------------------------------

@cli.command()
@click.argument("order")
@click.option("--channel", type=ChannelChoice(), default=None, help="limit to one channel")
@click.option("--config", "config_path", default=None)
@click.option("--target", type=click.Choice(config_mod.TARGETS), default=None)
def status(order: str, channel: str | None, config_path: str | None, target: str | None) -> None:
    """Print what the engine recorded for ORDER (a channel order id): NetSuite ids, refunds, errors."""
    from rich.table import Table

    from .engine.store import EngineStore

    cfg = _load(config_path).with_overrides(target=target)
    path = Path(".syncproof") / f"engine-{cfg.project.target}.sqlite3"
    if not path.exists():
        raise SyncproofError(f"no engine store at {path}",
                             "the sandbox target keeps its store in memory; run with --target live or record first")
    store = EngineStore(path)
    records = [
        r for r in (store.order(ch, order) for ch in (cfg.channels if channel is None else [channel])) if r
    ]
    if not records:
        raise SyncproofError(f"order {order} is not in the engine store {path}", "check the channel order id")
    for record in records:
        table = Table(title=f"{record.channel} order {order}")
        table.add_column("field")
        table.add_column("value")
        for key, value in record.to_json().items():
            table.add_row(key, str(value))
        console.print(table)
        refunds = store.refunds(record.channel, order)
        for refund in refunds:
            console.print(f"refund {refund.channel_refund_id}: {refund.status}, {refund.direction}, NetSuite "
                          f"{refund.netsuite_type} {refund.netsuite_id}, total {refund.total} {refund.currency or ''}")
        for error in store.errors(record.channel, order):
            console.print(f"[red]error[/] {error.at}: {escape(error.reason)}")
    store.close()


# --- settlements -----------------------------------------------------------------------------------

@cli.group()
def settlement() -> None:
    """Amazon settlement files."""


@settlement.command("check")
@click.option("--json", "as_json", is_flag=True, help="write one JSON document (every figure a decimal string "
              "with its currency) instead of the text report")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def settlement_check(files: tuple[str, ...], as_json: bool) -> None:
    """Parse settlement files downloaded from Seller Central and say whether each balances.

    Prints, per file: settlement id, period, total, rows, balance, the statement view as
    Seller Central shows it (beginning balance, sales, promotional rebates, refunds,
    expenses, reimbursements, account-level reserve, transfers, net proceeds), Amazon fees
    by fee type, rows the mapping table does not know, totals per transaction type, and
    each non-Amazon order id with what it is; then one line for the run. Exits 1 when a
    file does not balance or cannot be parsed.
    """
    from .settlement_check import output_console, run_check

    raise SystemExit(run_check(files, output_console(), as_json=as_json))


# --- report and sign-off -------------------------------------------------------------------------------

class _ReportGroup(click.Group):
    """``syncproof report RESULTS.json`` re-renders; ``syncproof report verify RESULTS.json`` verifies."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        if args and args[0] not in self.commands:
            args.insert(0, "render")
        return super().resolve_command(ctx, args)


@cli.group(cls=_ReportGroup)
def report() -> None:
    """Re-render or verify an acceptance report from its results JSON (runs nothing)."""


@report.command("render")
@click.argument("results", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out_dir", default=None, help="write there instead of next to RESULTS")
def report_render(results: str, out_dir: str | None) -> None:
    """Re-render report.html, junit.xml and cucumber.json from RESULTS."""
    from .report import render

    for kind, path in render(results, out_dir).items():
        console.print(f"{kind:10} {escape(str(path))}")


@report.command("pdf")
@click.argument("results", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", default=None, type=click.Path(dir_okay=False),
              help="PDF to write (default: report.pdf next to RESULTS)")
@click.option("--appendix", is_flag=True, help="also print every scenario with its evidence")
def report_pdf(results: str, out: str | None, appendix: bool) -> None:
    """Print the report of RESULTS to PDF through headless Chromium (summary to sign-off; A4)."""
    from .report.pdf import write_pdf

    path, pages = write_pdf(results, out, appendix=appendix)
    console.print(f"pdf        {path} ({pages} pages)")


@report.command("diff")
@click.argument("first")
@click.argument("second")
@click.option("--report-dir", default=None, help="the history's report folder (default [project] reports)")
@click.option("--config", "config_path", default=None)
def report_diff(first: str, second: str, report_dir: str | None, config_path: str | None) -> None:
    """Compare two runs (results.json paths or run ids from `syncproof history`): what changed from FIRST to SECOND."""
    from .report import history
    from .report.terminal import print_diff

    folder = Path(report_dir or _load(config_path).project.reports)
    print_diff(history.diff(history.find(folder, first), history.find(folder, second)), console)


@report.command("verify")
@click.argument("results", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--html", default=None, type=click.Path(dir_okay=False), help="report to check (default: next to RESULTS)"
)
@click.option("--sha256", "expected_sha256", default=None,
              help="the hash `syncproof signoff` printed, recorded outside the file")
def report_verify(results: str, html: str | None, expected_sha256: str | None) -> None:
    """Say whether RESULTS, its sign-off and its report still match the hash (and signature) recorded at sign-off."""
    from .report import verify

    outcome = verify(results, html, expected_sha256=expected_sha256)
    console.print(outcome.summary(), markup=False)
    raise SystemExit(0 if outcome.ok else 1)


@cli.command()
@click.argument("results", type=click.Path(exists=True, dir_okay=False))
@click.option("--name", required=True, help="who signs")
@click.option("--role", required=True, help="their role, e.g. 'Implementation lead, Acme'")
@click.option("--decision", required=True, type=click.Choice(["accepted", "rejected", "conditional"]))
@click.option("--comment", default=None, help="conditions or remarks")
@click.option("--force", is_flag=True,
              help="replace an existing sign-off, or accept a run that is not ACCEPTED (the report says so)")
def signoff(results: str, name: str, role: str, decision: str, comment: str | None, force: bool) -> None:
    """Stamp the report with a sign-off and the SHA-256 of RESULTS, and re-render it."""
    from .report import SignOffError, load_results, sign

    try:
        html = sign(results, name, role, decision, comment, force=force)
    except SignOffError as exc:
        raise SyncproofError(str(exc), "" if "force" in str(exc) else "check the options") from None
    from .report.history import record_signoff

    record_signoff(results)
    seal = load_results(results)["signoff"]
    console.print(f"signed: {html}", markup=False)
    console.print(f"SHA-256 {seal['results_sha256']}" + (" (with an HMAC-SHA256 signature)" if seal.get("signature")
                                                         else "") +
                  ": record it outside the file (sign-off email, ticket); `syncproof report verify --sha256` "
                  "checks it", markup=False)


@cli.command("history")
@click.option("--report-dir", default=None, help="the report folder (default [project] reports)")
@click.option("--config", "config_path", default=None)
def history_command(report_dir: str | None, config_path: str | None) -> None:
    """List the runs kept in the report folder's history, newest last."""
    from .report import history

    folder = Path(report_dir or _load(config_path).project.reports)
    runs = history.entries(folder)
    if not runs:
        console.print(f"no runs in the history of {folder} yet (every `syncproof run` adds one)")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("run", "started", "target", "driver", "verdict", "passed", "failed", "coverage", "decision"):
        table.add_column(column)
    for e in runs:
        table.add_row(e.id[:12], e.started or "-", e.target or "-", e.driver or "-", (e.verdict or "-").upper(),
                      f"{e.passed}/{e.total}", str(e.failed), e.coverage or "-", e.decision or "-")
    console.print(table, soft_wrap=True)


@cli.command("ui")
@click.option("--host", default="127.0.0.1", show_default=True, help="loopback address to serve on")
@click.option("--port", default=8765, show_default=True, type=int)
@click.option("--report-dir", default=None, help="where runs write their reports (default [project] reports)")
@click.option("--config", "config_path", default=None)
def ui_command(host: str, port: int, report_dir: str | None, config_path: str | None) -> None:
    """Open the workbench: pick scenarios, run and watch them, do manual steps, compare runs and sign off."""
    from .ui.loopback import is_loopback

    if not is_loopback(host):
        raise SyncproofError(f"syncproof ui serves only on loopback, not {host}",
                             "use 127.0.0.1 (reach it from another machine through an SSH tunnel)")
    folder = Path(report_dir or _load(config_path).project.reports)
    from .ui import serve

    console.print(f"syncproof workbench on http://{host}:{port}/ (Ctrl-C stops); reports go to {folder}")
    serve(host=host, port=port, root=Path.cwd(), report_dir=folder, config=config_path)


# --- sandbox ----------------------------------------------------------------------------------------

@cli.group()
def sandbox() -> None:
    """The embedded emulators."""


@sandbox.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--no-connector", is_flag=True, help="do not start the sandbox NetSuite Connector")
def sandbox_serve(host: str, no_connector: bool) -> None:
    """Start the NetSuite emulator, each channel's, and the sandbox NetSuite Connector on loopback until Ctrl-C."""
    import time

    from sandbox import start_sandbox

    from .runtime import emulator_names, sandbox_connector_options

    options = None if no_connector else sandbox_connector_options(config_mod.load_config(), always=True)
    box = start_sandbox(host=host, emulators=emulator_names(), connector=options)
    for name, url in box.urls().items():
        console.print(f"{name:9} {url}")
    if box.connector_url:
        console.print(f"{'connector':9} {box.connector_url}  (GET /status; POST /cycle syncs now)")
    console.print("demo credentials (the emulators accept only these; they are not secrets):")
    for name in box.urls():
        connection = box.emulator(name).connection
        shown = ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in connection.items())
        console.print(f"  {name:9} {escape(shown)}")
    console.print("Ctrl-C stops")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        box.stop()


#: exit codes (documented in README "Exit codes")
EXIT_OK, EXIT_FAILED, EXIT_USER_ERROR, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 70, 130


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv or os.environ.get("SYNCPROOF_DEBUG") == "1"
    try:
        config_mod.load_dotenv_file()
        cli.main(args=argv, prog_name="syncproof", standalone_mode=False)
    except click.exceptions.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(exc.exit_code) from None
    except (click.exceptions.Abort, KeyboardInterrupt):
        err_console.print("aborted")
        raise SystemExit(EXIT_INTERRUPTED) from None
    except (SyncproofError, ConnectorError) as exc:
        if debug:
            raise
        _fail(str(exc), EXIT_USER_ERROR)
    except OSError as exc:  # a read-only folder, a full disk, a file that vanished
        if debug:
            raise
        where = f" {exc.filename}" if exc.filename else ""
        _fail(f"cannot read or write{where}: {exc.strerror or exc}; check the path, its permissions and the free "
              "disk space", EXIT_USER_ERROR)
    except sqlite3.DatabaseError as exc:
        if debug:
            raise
        _fail(f"the engine store in .syncproof/ cannot be read ({exc}); move it aside and run again", EXIT_USER_ERROR)
    except RecursionError:
        if debug:
            raise
        _fail("an input file nests too deeply to be read; check the file you passed", EXIT_USER_ERROR)
    except Exception as exc:  # a defect in syncproof itself: still one line, the traceback with --debug
        if debug:
            raise
        _fail(f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}; run again with --debug "
              "and report the traceback", EXIT_INTERNAL)


def _fail(message: str, code: int) -> None:
    """Print one error line (escaped: text in [brackets] is shown, never read as markup) and exit."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    raise SystemExit(code) from None
