"""The Starlette application behind ``syncproof ui``, and serving it on loopback.

JSON API (the page in ``static/`` is its only client)::

    GET  /api/catalog                 features, scenarios, check ids
    GET  /api/preflight?target=&driver=  what will be checked before anything starts
    POST /api/runs                    start {target, driver, scenarios: [key], checks: [id], interactive}
    GET  /api/runs/current?since=N    state, events since N, questions waiting for a person, output tail
    POST /api/runs/current/stop       stop cleanly
    POST /api/person/{id}             answer {outcome: done|failed, note, screenshot: {name, data}}
    GET  /api/history                 runs in the report folder's history
    GET  /api/diff?a=&b=              what changed from run a to run b
    POST /api/signoff                 {run, name, role, decision, comment, force}: same rules as `signoff`
    GET  /api/verify?run=             the sign-off check of `report verify`
    GET  /report/{run}                a run's report page
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..errors import SyncproofError
from ..report import history
from ..report.html import render_html
from ..report.outputs import FILES
from ..report.signoff import SignOffError, sign, verify
from .catalog import catalog, keyword_for
from .loopback import is_loopback
from .runs import RunManager, RunOptions

__all__ = ["create_app", "is_loopback", "serve"]


def _static(name: str) -> str:
    return resources.files("syncproof.ui").joinpath("static", name).read_text(encoding="utf-8")


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _preflight(root: Path, config: str | None, target: str, driver: str) -> list[dict[str, Any]]:
    from ..config import load_config

    lines: list[dict[str, Any]] = []
    try:
        cfg = load_config(config or (root / "syncproof.toml" if (root / "syncproof.toml").exists() else None))
        cfg = cfg.with_overrides(target=target, driver=driver)
    except SyncproofError as exc:
        return [{"ok": False, "system": "config", "check": "syncproof.toml", "detail": str(exc)}]
    lines.append({"ok": True, "system": "config", "check": "syncproof.toml",
                  "detail": f"valid; go-live {cfg.project.go_live}, target {target}, driver {driver}"})
    if target == "sandbox":
        from .. import channels

        emulated = ["NetSuite"] + [spec.title for spec in channels.specs()
                                   if spec.name not in cfg.channels or cfg.channels[spec.name].enabled]
        lines.append({"ok": True, "system": "sandbox", "check": "emulators",
                      "detail": f"{', '.join(emulated[:-1])} and {emulated[-1]} emulators start on loopback; no "
                                "credentials needed. The verdict will be DEMO (emulators, not go-live evidence)."})
    elif target == "replay":
        cassettes = root / "cassettes"
        count = sum(1 for _ in cassettes.rglob("*.yaml")) if cassettes.exists() else 0
        lines.append({"ok": count > 0, "system": "replay", "check": "cassettes",
                      "detail": f"{count} cassettes in {cassettes}; the verdict will be DEMO"})
    else:
        from ..doctor import diagnose
        from ..runtime import open_runtime

        for line in diagnose(cfg, open_runtime):
            lines.append({"ok": line.ok, "system": line.system, "check": line.check,
                          "detail": line.detail + (f" — fix: {line.fix}" if line.fix and not line.ok else "")})
    return lines


def create_app(root: Path | str = ".", report_dir: Path | str | None = None, config: str | None = None) -> Starlette:
    """The app for the project at ``root``; runs and history go to ``report_dir`` (default ``root/reports``)."""
    root = Path(root).resolve()
    reports = Path(report_dir).resolve() if report_dir else root / "reports"
    manager = RunManager(root, reports, config)

    async def page(request: Request) -> Response:
        html = _static("index.html").replace("/*CSS*/", _static("ui.css")).replace("/*JS*/", _static("ui.js"))
        return HTMLResponse(html)

    async def api_catalog(request: Request) -> Response:
        return JSONResponse(catalog(root / "features"))

    async def api_preflight(request: Request) -> Response:
        target = request.query_params.get("target", "sandbox")
        driver = request.query_params.get("driver", "engine")
        return JSONResponse({"lines": _preflight(root, config, target, driver)})

    async def api_start(request: Request) -> Response:
        body = await request.json()
        checks = [c for c in body.get("checks") or [] if isinstance(c, str) and c.replace("-", "").isalnum()]
        try:
            options = RunOptions(target=str(body.get("target", "sandbox")), driver=str(body.get("driver", "engine")),
                                 keyword=keyword_for([str(k) for k in body.get("scenarios") or []]),
                                 tags=" or ".join(checks) or None, interactive=bool(body.get("interactive", True)))
            run = manager.start(options)
        except SyncproofError as exc:
            return _error(str(exc), 409)
        return JSONResponse({"started": run.started, "arguments": options.arguments(reports, config)})

    async def api_current(request: Request) -> Response:
        run = manager.current
        if run is None:
            return JSONResponse({"state": "idle", "events": [], "pending": []})
        since = int(request.query_params.get("since", "0") or 0)
        return JSONResponse({"state": run.state(), "events": run.events(since), "pending": run.pending(),
                             "returncode": run.process.poll(), "output": run.output[-30:],
                             "options": run.options.__dict__})

    async def api_stop(request: Request) -> Response:
        manager.stop()
        return JSONResponse({"stopping": True})

    async def api_person(request: Request) -> Response:
        body = await request.json()
        try:
            evidence = manager.answer(request.path_params["request_id"], str(body.get("outcome")), body.get("note"),
                                      body.get("screenshot"))
        except SyncproofError as exc:
            return _error(str(exc))
        return JSONResponse({"answered": True, "evidence": evidence})

    async def api_history(request: Request) -> Response:
        return JSONResponse({"runs": [e.to_json() for e in reversed(history.entries(reports))]})

    async def api_diff(request: Request) -> Response:
        try:
            changes = history.diff(history.find(reports, request.query_params["a"]),
                                   history.find(reports, request.query_params["b"]))
        except (KeyError, SyncproofError) as exc:
            return _error(str(exc))
        return JSONResponse(changes)

    def _latest(run_id: str) -> Path:
        path = reports / FILES["results"]
        if not path.exists() or not run_id or history.find(reports, str(path))["run"]["id"] != run_id:
            raise SyncproofError("only the latest run's results.json in the report folder can be signed here",
                                 f"sign an older run with `syncproof signoff` on its results.json ({reports})")
        return path

    async def api_signoff(request: Request) -> Response:
        body = await request.json()
        try:
            path = _latest(str(body.get("run", "")))
            sign(path, str(body.get("name", "")), str(body.get("role", "")), str(body.get("decision", "")),
                 body.get("comment") or None, force=bool(body.get("force")))
            history.record_signoff(path)
        except (SignOffError, SyncproofError) as exc:
            return _error(str(exc), 409)
        return JSONResponse({"signed": True, "verify": verify(path).summary()})

    async def api_verify(request: Request) -> Response:
        try:
            path = _latest(request.query_params.get("run", ""))
        except SyncproofError as exc:
            return _error(str(exc))
        outcome = verify(path)
        return JSONResponse({"ok": outcome.ok, "summary": outcome.summary()})

    async def report_page(request: Request) -> Response:
        try:
            results = history.find(reports, request.path_params["run_id"])
        except SyncproofError as exc:
            return HTMLResponse(f"<p>{exc}</p>", status_code=404)
        return HTMLResponse(render_html(results))

    return Starlette(routes=[
        Route("/", page), Route("/api/catalog", api_catalog), Route("/api/preflight", api_preflight),
        Route("/api/runs", api_start, methods=["POST"]), Route("/api/runs/current", api_current),
        Route("/api/runs/current/stop", api_stop, methods=["POST"]),
        Route("/api/person/{request_id}", api_person, methods=["POST"]),
        Route("/api/history", api_history), Route("/api/diff", api_diff),
        Route("/api/signoff", api_signoff, methods=["POST"]), Route("/api/verify", api_verify),
        Route("/report/{run_id}", report_page),
    ])


def serve(host: str = "127.0.0.1", port: int = 8765, **app_options: Any) -> None:
    """Serve the app until Ctrl-C; only on a loopback address."""
    import uvicorn

    if not is_loopback(host):
        raise SyncproofError(f"syncproof ui serves only on loopback, not {host}",
                             "use 127.0.0.1 (open it from another machine through an SSH tunnel)")
    uvicorn.run(create_app(**app_options), host=host, port=port, log_level="warning")
