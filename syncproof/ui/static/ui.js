/* syncproof workbench: picks, runs, watches (polling), answers manual steps, compares and signs off. */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var state = { since: 0, scenarios: {}, order: [], runId: null, pendingId: null, polling: null, lastState: "idle",
                watch: 0, lastLook: false };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function api(method, url, body) {
    return fetch(url, { method: method, headers: { "Content-Type": "application/json" },
                        body: body ? JSON.stringify(body) : undefined })
      .then(function (r) { return r.json().then(function (data) { data._status = r.status; return data; }); });
  }

  // 1. catalogue and pre-flight
  function loadCatalog() {
    api("GET", "/api/catalog").then(function (data) {
      var box = $("features"); box.textContent = "";
      data.features.forEach(function (f) {
        box.appendChild(el("h4", {}, f.name + " (" + f.file + ")"));
        f.scenarios.forEach(function (s) {
          var label = el("label", { "class": "scenario-pick" });
          // an outline's examples are each a scenario of the run and the report; picking the outline runs them all
          var input = el("input", { type: "checkbox", value: s.key, "data-checks": s.check_ids.join(" "),
                                    "data-examples": String(s.examples || 1) });
          input.checked = true;
          label.appendChild(input);
          var text = el("span", {}, s.name);
          s.check_ids.forEach(function (c) { text.appendChild(el("span", { "class": "chip" }, c)); });
          label.appendChild(text);
          box.appendChild(label);
          if (s.examples) {
            var rows = el("details", { "class": "examples" });
            rows.appendChild(el("summary", {}, s.examples === 1
              ? "Scenario Outline · 1 example, a scenario in the report; picking the outline runs it"
              : "Scenario Outline · " + s.examples + " examples, each a scenario in the report; " +
                "picking the outline runs them all"));
            var list = el("ul");
            s.example_labels.forEach(function (name) { list.appendChild(el("li", {}, name)); });
            rows.appendChild(list);
            box.appendChild(rows);
          }
        });
      });
      var checks = $("checks"); checks.textContent = "";
      data.checks.forEach(function (c) {
        var label = el("label", { title: c.title });
        var input = el("input", { type: "checkbox", value: c.id, "class": "check-pick" });
        label.appendChild(input); label.appendChild(document.createTextNode(c.id));
        checks.appendChild(label);
      });
      box.addEventListener("change", countSelection);
      countSelection();
    });
  }
  function picked(selector) {
    return Array.prototype.map.call(document.querySelectorAll(selector + ":checked"), function (i) { return i.value; });
  }
  function countSelection() {
    // the report counts every example of an outline as a scenario: the page says both, the report's count first
    var inputs = Array.prototype.slice.call(document.querySelectorAll(".scenario-pick input"));
    var examples = function (list) { return list.reduce(function (n, i) { return n + Number(i.dataset.examples); }, 0); };
    var chosen = inputs.filter(function (i) { return i.checked; });
    $("selection").textContent = examples(chosen) + " of " + examples(inputs) + " scenarios selected (" +
      chosen.length + " of " + inputs.length + " definitions; each Scenario Outline example is a scenario, as in " +
      "the report)";
  }
  function preflight() {
    var list = $("preflight"); list.textContent = "";
    list.appendChild(el("li", { "class": "muted" }, "checking…"));
    api("GET", "/api/preflight?target=" + $("target").value + "&driver=" + $("driver").value).then(function (data) {
      list.textContent = "";
      data.lines.forEach(function (line) {
        list.appendChild(el("li", { "class": line.ok ? "ok" : "bad" }, line.system + " · " + line.check + ": " + line.detail));
      });
    });
  }
  $("target").addEventListener("change", preflight);
  $("driver").addEventListener("change", preflight);
  $("select-all").addEventListener("click", function () { setPicks(true); });
  $("select-none").addEventListener("click", function () { setPicks(false); });
  function setPicks(on) { document.querySelectorAll(".scenario-pick input").forEach(function (i) { i.checked = on; }); countSelection(); }

  // 2. start, watch, stop
  $("start").addEventListener("click", function () {
    $("start-error").textContent = "";
    var all = document.querySelectorAll(".scenario-pick input").length;
    var scenarios = picked(".scenario-pick input");
    var body = { target: $("target").value, driver: $("driver").value, interactive: $("interactive").checked,
                 scenarios: scenarios.length === all ? [] : scenarios, checks: picked("input.check-pick") };
    if (!scenarios.length && !body.checks.length) { $("start-error").textContent = "Pick at least one scenario."; return; }
    api("POST", "/api/runs", body).then(function (data) {
      if (data.error) { $("start-error").textContent = data.error; return; }
      state.since = 0; state.scenarios = {}; state.order = []; state.runId = null; state.watch += 1;
      state.lastLook = false;
      $("scenarios").textContent = ""; $("verdict").hidden = true; $("output").textContent = "";
      poll();
    });
  });
  $("stop").addEventListener("click", function () { api("POST", "/api/runs/current/stop"); });

  function scenarioNode(ev) {
    var item = el("li", { "class": "scenario st-running", "data-nodeid": ev.nodeid });
    item.appendChild(el("span", { "class": "status" }, "running"));
    var name = el("div", { "class": "name" }, ev.label);
    (ev.check_ids || []).forEach(function (c) { name.appendChild(el("span", { "class": "chip" }, c)); });
    item.appendChild(name);
    var steps = el("ol", { "class": "steps" });
    (ev.steps || []).forEach(function (s) { steps.appendChild(el("li", { "class": "not-run" }, s.keyword + " " + s.text)); });
    item.appendChild(steps);
    return item;
  }
  function apply(ev) {
    var node = ev.nodeid && $("scenarios").querySelector('[data-nodeid="' + CSS.escape(ev.nodeid) + '"]');
    if (ev.type === "scenario") {
      node = scenarioNode(ev); $("scenarios").appendChild(node); node.scrollIntoView({ block: "nearest" });
    } else if (ev.type === "step" && node) {
      var step = node.querySelectorAll(".steps li")[ev.index];
      if (step) step.className = ev.status;
    } else if (ev.type === "finished" && node) {
      node.className = "scenario st-" + ev.status;
      node.querySelector(".status").textContent = ev.status;
      (ev.steps || []).forEach(function (s, i) { var li = node.querySelectorAll(".steps li")[i]; if (li) li.className = s; });
      if (ev.status !== "passed" && ev.status !== "skipped") {
        var box = el("div", { "class": "failure" }, (ev.category ? ev.category + ": " : "") + (ev.reason || ""));
        if (ev.failed_check) {
          box.appendChild(el("div", {}, ev.failed_check.check_id + " " + ev.failed_check.title));
          box.appendChild(el("pre", {}, "expected: " + JSON.stringify(ev.failed_check.expected, null, 1) +
                                       "\nactual:   " + JSON.stringify(ev.failed_check.actual, null, 1) +
                                       (ev.failed_check.evidence && ev.failed_check.evidence.length ?
                                        "\nevidence: " + JSON.stringify(ev.failed_check.evidence, null, 1).slice(0, 2000) : "")));
        }
        node.appendChild(box);
      }
    } else if (ev.type === "run") {
      state.runId = ev.run_id;
      var v = $("verdict"); v.hidden = false; v.className = "verdict v-" + ev.verdict.status; v.textContent = "";
      v.appendChild(el("b", {}, ev.verdict.status.toUpperCase()));
      v.appendChild(el("span", {}, " " + (ev.verdict.meaning || "")));
      v.appendChild(el("p", { "class": "small" }, ev.verdict.reason));
      var link = el("a", { href: "/report/" + ev.run_id, target: "_blank", id: "report-link" }, "Open the report");
      v.appendChild(link);
      $("signoff-run").textContent = "Signing run " + ev.run_id.slice(0, 12) + " (" + ev.verdict.status.toUpperCase() + ").";
      $("signoff-form").dataset.run = ev.run_id;
      loadHistory();
    }
  }
  function showPerson(pending) {
    var box = $("person");
    if (!pending.length) { box.hidden = true; state.pendingId = null; return; }
    var p = pending[0];
    if (state.pendingId === p.id) return;
    state.pendingId = p.id;
    $("person-where").textContent = (p.scenario || "") + (p.step ? " — " + p.step : "");
    $("person-instructions").textContent = p.instructions;
    $("person-note").value = ""; $("person-file").value = "";
    box.hidden = false;
  }
  function answer(outcome) {
    var id = state.pendingId; if (!id) return;
    var file = $("person-file").files[0];
    function send(screenshot) {
      api("POST", "/api/person/" + id, { outcome: outcome, note: $("person-note").value, screenshot: screenshot })
        .then(function () { $("person").hidden = true; });
    }
    if (!file) { send(null); return; }
    var reader = new FileReader();
    reader.onload = function () { send({ name: file.name, data: String(reader.result).split(",")[1] || "" }); };
    reader.readAsDataURL(file);
  }
  $("person-done").addEventListener("click", function () { answer("done"); });
  $("person-failed").addEventListener("click", function () { answer("failed"); });

  function poll() {
    clearTimeout(state.polling);
    var watch = state.watch;
    api("GET", "/api/runs/current?since=" + state.since).then(function (data) {
      if (watch !== state.watch) return;  // asked before the page started the run it now follows
      (data.events || []).forEach(function (ev) {
        if (ev.n < state.since) return;  // already shown: an earlier answer overlapped this one
        apply(ev); state.since = ev.n + 1;
      });
      showPerson(data.pending || []);
      var s = $("run-state"); s.textContent = data.state; s.className = "state state-" + data.state.replace(/ /g, "-");
      $("output").textContent = (data.output || []).join("\n");
      var active = data.state === "running" || data.state === "waiting for you";
      $("stop").disabled = !active; $("start").disabled = active;
      state.lastState = data.state;
      if (active) { state.polling = setTimeout(poll, 400); return; }
      if (data.state === "idle" || state.runId) return;  // nothing ran, or the run's report is shown
      // the run has ended without its report: every event it wrote came with this answer (the server reads the
      // state first); one last look takes the lines it printed as it ended, then the page stops watching
      if (!state.lastLook) { state.lastLook = true; state.polling = setTimeout(poll, 400); return; }
      showNoReport(data);
    });
  }
  function showNoReport(data) {
    var v = $("verdict"); v.hidden = false; v.className = "verdict v-none"; v.textContent = "";
    v.appendChild(el("b", {}, "NO REPORT"));
    var how = data.state === "stopped" ? "was stopped" : "ended (exit code " + data.returncode + ")";
    v.appendChild(el("span", {}, " The run " + how + " before it wrote a report."));
    var said = (data.output || []).filter(function (line) { return line.trim(); });
    if (said.length) v.appendChild(el("p", { "class": "small" }, said[said.length - 1]));
  }

  // 3. sign-off
  $("signoff-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var result = $("signoff-result");
    api("POST", "/api/signoff", { run: $("signoff-form").dataset.run || "", name: $("so-name").value,
      role: $("so-role").value, decision: $("so-decision").value, comment: $("so-comment").value,
      force: $("so-force").checked }).then(function (data) {
      result.className = "result " + (data.error ? "bad" : "good");
      result.textContent = data.error ? "Refused: " + data.error : "Signed. Verify: " + data.verify;
      loadHistory();
    });
  });

  // 4. history and compare
  function loadHistory() {
    api("GET", "/api/history").then(function (data) {
      var body = $("runs"); body.textContent = "";
      data.runs.forEach(function (r, i) {
        var tr = el("tr", { "data-run": r.id });
        var a = el("input", { type: "radio", name: "a", value: r.id }); if (i === 1) a.checked = true;
        var b = el("input", { type: "radio", name: "b", value: r.id }); if (i === 0) b.checked = true;
        var ta = el("td"); ta.appendChild(a); tr.appendChild(ta);
        var tb = el("td"); tb.appendChild(b); tr.appendChild(tb);
        [r.id.slice(0, 8), r.started || "", r.target || "", (r.verdict || "").toUpperCase(), r.passed + "/" + r.total,
         r.decision || "—"].forEach(function (t) { tr.appendChild(el("td", {}, t)); });
        var open = el("td"); open.appendChild(el("a", { href: "/report/" + r.id, target: "_blank" }, "report"));
        tr.appendChild(open);
        body.appendChild(tr);
      });
    });
  }
  $("compare").addEventListener("click", function () {
    var a = document.querySelector("input[name=a]:checked"), b = document.querySelector("input[name=b]:checked");
    var out = $("diff"); out.textContent = "";
    if (!a || !b) { out.textContent = "Pick two runs."; return; }
    api("GET", "/api/diff?a=" + a.value + "&b=" + b.value).then(function (d) {
      if (d.error) { out.textContent = d.error; return; }
      var list = el("ul");
      function add(text) { list.appendChild(el("li", {}, text)); }
      d.new_failures.forEach(function (c) { add("new failure: " + c.label); });
      d.fixed.forEach(function (c) { add("fixed: " + c.label); });
      d.scenarios.forEach(function (c) { add("scenario " + c.label + ": " + c.from + " → " + c.to); });
      d.checks.forEach(function (c) { add("check " + c.id + ": " + c.from + " → " + c.to); });
      d.amounts.forEach(function (c) { add(c.what + " in " + c.label + ": " + c.from + " → " + c.to); });
      if (!list.children.length) add("Nothing changed.");
      out.appendChild(list);
    });
  });

  loadCatalog(); preflight(); loadHistory(); poll();
})();
