/* syncproof report: filters, search, expand/collapse, print expansion. The page reads fine without it. */
(function () {
  "use strict";
  var toolbar = document.getElementById("toolbar");
  if (!toolbar) return;
  toolbar.hidden = false;
  var scenarios = Array.prototype.slice.call(document.querySelectorAll("details.scenario"));
  var features = Array.prototype.slice.call(document.querySelectorAll("section.feature"));
  var state = { status: "all", channel: "", check: "", text: "" };
  var count = document.getElementById("f-count");
  var noMatch = document.getElementById("no-match");

  function statusMatches(s) {
    if (state.status === "all") return true;
    if (state.status === "skipped") return s === "skipped" || s === "not-run";
    return s === state.status;
  }
  function apply() {
    var shown = 0;
    scenarios.forEach(function (el) {
      var ok = statusMatches(el.dataset.status) &&
        (!state.channel || el.dataset.channel === state.channel) &&
        (!state.check || (" " + el.dataset.checks + " ").indexOf(" " + state.check + " ") >= 0) &&
        (!state.text || el.textContent.toLowerCase().indexOf(state.text) >= 0);
      el.classList.toggle("is-filtered-out", !ok);
      if (ok) shown++;
      if (ok && state.text && !el.open) { el.open = true; el.dataset.openedBySearch = "1"; }
    });
    features.forEach(function (f) {
      f.classList.toggle("is-filtered-out", !f.querySelector("details.scenario:not(.is-filtered-out)"));
    });
    count.textContent = "Showing " + shown + " of " + scenarios.length + " scenarios";
    noMatch.hidden = shown !== 0;
  }
  toolbar.querySelectorAll(".fbtn").forEach(function (btn) {
    btn.addEventListener("click", function () {
      toolbar.querySelectorAll(".fbtn").forEach(function (b) { b.classList.remove("active"); });
      btn.classList.add("active");
      state.status = btn.dataset.status;
      apply();
    });
  });
  document.getElementById("f-channel").addEventListener("change", function (e) { state.channel = e.target.value; apply(); });
  document.getElementById("f-check").addEventListener("change", function (e) { state.check = e.target.value; apply(); });
  var timer = null;
  document.getElementById("f-search").addEventListener("input", function (e) {
    clearTimeout(timer);
    timer = setTimeout(function () { state.text = e.target.value.trim().toLowerCase(); apply(); }, 120);
  });
  // scenarios only: their HTTP evidence stays folded (opening thousands of exchanges is what made it slow)
  function setAll(open) {
    requestAnimationFrame(function () {
      for (var i = 0; i < scenarios.length; i++) {
        var el = scenarios[i];
        if (el.open !== open && !el.classList.contains("is-filtered-out")) el.open = open;
      }
    });
  }
  document.getElementById("expand-all").addEventListener("click", function () { setAll(true); });
  document.getElementById("collapse-all").addEventListener("click", function () { setAll(false); });
  // matrix rows filter the scenario list to their check id
  document.querySelectorAll("tr.mrow").forEach(function (row) {
    row.querySelector("th.cid").addEventListener("click", function () {
      var sel = document.getElementById("f-check");
      sel.value = row.dataset.check; state.check = row.dataset.check; apply();
      document.getElementById("scenarios").scrollIntoView();
    });
    row.querySelector("th.cid").style.cursor = "pointer";
    row.querySelector("th.cid").title = "Show the scenarios for " + row.dataset.check;
  });
  // a link to a scenario opens it
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.tagName === "DETAILS") {
      el.classList.remove("is-filtered-out");
      if (el.parentElement) el.parentElement.classList.remove("is-filtered-out");
      el.open = true;
      el.scrollIntoView({ block: "start" });  // scroll-margin-top keeps it below the sticky toolbar
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
  // print: the appendix of scenarios and evidence only when asked for
  var appendix = document.getElementById("print-appendix");
  appendix.checked = document.body.classList.contains("print-appendix");
  appendix.addEventListener("change", function () { document.body.classList.toggle("print-appendix", appendix.checked); });
  apply();
})();
