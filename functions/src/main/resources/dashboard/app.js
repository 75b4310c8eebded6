"use strict";
// The Tributary dashboard: reads the app's HTTP API (the same origin, the same function key) and draws pipelines,
// runs, one run's stage timeline, row funnel, expectations and rejects, and its lineage graph. No libraries: it is
// served from the app's jar and works offline.
(function () {
  const params = new URLSearchParams(location.search);
  const code = params.get("code");
  const base = location.pathname.replace(/dashboard\/?$/, "");
  const SVG = "http://www.w3.org/2000/svg";
  const FAST = 2000, SLOW = 15000;
  const state = { selected: location.hash.startsWith("#run=") ? decodeURIComponent(location.hash.slice(5)) : null,
                  lineageKey: null, timer: null, drawn: {} };

  /** Calls draw(data) unless the part named what already shows the same data: an idle page is left alone. */
  function redraw(what, data, draw) {
    const signature = JSON.stringify(data);
    if (state.drawn[what] !== signature) {
      state.drawn[what] = signature;
      draw(data);
    }
  }

  /** Calls the API beside the page, with the page's function key; rejects with the API's own error text. */
  async function api(path, query, method) {
    const q = new URLSearchParams(query || {});
    for (const [k, v] of [...q.entries()]) { if (v === "" || v == null) q.delete(k); }
    if (code) q.set("code", code);
    const s = q.toString();
    const r = await fetch(base + path + (s ? "?" + s : ""), { method: method || "GET", headers: { Accept: "application/json" } });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error((body && body.error) || (r.status + " " + r.statusText + " from " + path));
    return body;
  }

  // Names, messages and values come from definitions and data: control characters, line separators and bidi
  // controls are shown as escapes (\n, \u001b), as the command line prints them, so text cannot disguise itself.
  const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
  const ESCAPES = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
  const printable = s => String(s).replace(UNPRINTABLE,
    c => ESCAPES[c] || "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null) continue;
      if (k === "class") e.className = v; else if (k.startsWith("data-")) e.setAttribute(k, v); else e[k] = v;
    }
    for (const c of children) e.append(c == null ? "" : c instanceof Node ? c : printable(String(c)));
    return e;
  }
  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v != null) e.setAttribute(k, v);
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(printable(String(c))));
    return e;
  }
  const num = n => n == null ? "" : Number(n).toLocaleString("en-US");
  const utc = t => t ? t.replace("T", " ").replace(/\.\d+Z$|Z$/, "") : "";
  const secs = (a, b) => a && b ? ((Date.parse(b) - Date.parse(a)) / 1000).toFixed(2) + " s" : "";
  const status = s => el("span", { class: "status status-" + s }, s);
  const cell = (v, cls) => el("td", { class: cls }, v);

  function showError(e) {
    const p = document.getElementById("error");
    p.hidden = !e;
    p.textContent = e ? "Cannot read the API: " + printable(e.message) : "";
  }

  async function refresh() {
    try {
      const filters = Object.fromEntries(new FormData(document.getElementById("filters")));
      if (filters.since) filters.since = filters.since + "T00:00:00Z";
      if (filters.until) filters.until = filters.until + "T23:59:59Z";  // the whole of the day chosen
      const [pipelines, runs] = await Promise.all([api("pipelines"), api("runs", filters)]);
      redraw("pipelines", pipelines.pipelines || [], drawPipelines);
      redraw("broken", pipelines.broken || [], drawBroken);
      redraw("runs", { runs: runs.runs || [], selected: state.selected }, d => drawRuns(d.runs));
      if (!state.selected && runs.runs && runs.runs.length) state.selected = runs.runs[0].runId;
      let busy = (runs.runs || []).some(r => r.status === "running");
      showError(null);
      if (state.selected) {
        try {
          busy = (await drawRun(state.selected)) || busy;
        } catch (e) {
          // A run that is not there (an old link, a run past the history's retention): say so once, show the newest.
          showError(new Error("run " + state.selected + ": " + e.message));
          state.selected = runs.runs && runs.runs.length ? runs.runs[0].runId : null;
        }
      }
      document.getElementById("refreshed").textContent = "refreshed " + new Date().toLocaleTimeString();
      schedule(busy ? FAST : SLOW);
    } catch (e) {
      showError(e);
      schedule(SLOW);
    }
  }

  function schedule(ms) {
    clearTimeout(state.timer);
    if (document.getElementById("auto").checked) state.timer = setTimeout(refresh, ms);
  }

  function drawPipelines(pipelines) {
    const body = document.querySelector("#pipelines tbody");
    const select = document.querySelector("#filters select[name=pipeline]");
    const chosen = select.value;
    body.replaceChildren(...pipelines.map(p => {
      const last = p.lastRun;
      const trigger = p.trigger || {};
      const what = trigger.type === "schedule" ? "schedule " + (trigger.schedule || "") + " (" + (trigger.timeZone || "UTC") + ")"
        : trigger.type === "fileDrop" ? "file drop " + (trigger.path || "")
        : trigger.type === "dataset" ? "dataset of " + (trigger.pipeline || "") : (trigger.type || "manual");
      return el("tr", { "data-pipeline": p.name }, cell(p.name), cell(what), cell(last ? utc(last.startedAt) : "never"),
        el("td", {}, last ? status(last.status) : ""), cell(last ? num(last.rowsOut) : "", "num"),
        cell(p.nextRunAt ? utc(p.nextRunAt) : ""));
    }));
    select.replaceChildren(el("option", { value: "" }, "all"),
      ...pipelines.map(p => el("option", { value: p.name, selected: p.name === chosen }, p.name)));
  }

  /** Definitions that did not load: their pipelines start no run until fixed. */
  function drawBroken(broken) {
    const list = document.getElementById("broken");
    list.hidden = broken.length === 0;
    list.replaceChildren(el("strong", {}, broken.length === 1 ? "1 definition is broken and not loaded:"
      : broken.length + " definitions are broken and not loaded:"), ...broken.map(b => {
      const p = b.problems[0];
      return el("div", { "data-file": b.file, class: "broken" }, b.file + ":" + p.line + ":" + p.column + ": "
        + (p.pointer || "/") + ": " + p.message + (b.problems.length > 1 ? " (+" + (b.problems.length - 1) + " more)" : ""));
    }));
  }

  function drawRuns(runs) {
    const body = document.querySelector("#runs tbody");
    document.querySelector("#runs .empty").hidden = runs.length > 0;
    body.replaceChildren(...runs.map(r => {
      const row = el("tr", { "data-run-id": r.runId, class: r.runId === state.selected ? "selected" : null },
        cell(r.runId), cell(r.pipeline), cell(r.trigger), el("td", {}, status(r.status)), cell(utc(r.startedAt)),
        cell(secs(r.startedAt, r.endedAt), "num"), cell(num(r.rowsIn), "num"), cell(num(r.rowsOut), "num"),
        cell(num(r.rowsRejected), "num"));
      row.addEventListener("click", () => select(r.runId));
      return row;
    }));
  }

  function select(runId) {
    state.selected = runId;
    history.replaceState(null, "", "#run=" + encodeURIComponent(runId));
    document.querySelectorAll("#runs tbody tr").forEach(tr => tr.classList.toggle("selected", tr.dataset.runId === runId));
    refresh();
  }

  /** Draws one run in full; returns whether it is still running. */
  async function drawRun(runId) {
    const detail = await api("runs/" + encodeURIComponent(runId));
    const run = detail.run;
    const section = document.getElementById("run");
    section.hidden = false;
    section.dataset.runId = run.runId;
    section.dataset.status = run.status;
    document.getElementById("run-id").textContent = printable(run.runId);
    document.getElementById("run-summary").replaceChildren(run.pipeline + " · " + run.trigger + " · ", status(run.status),
      " · started " + utc(run.startedAt) + (run.endedAt ? " · " + secs(run.startedAt, run.endedAt) : "")
      + (run.source ? " · source " + run.source : ""));
    const error = document.getElementById("run-error");
    error.hidden = !run.error;
    error.textContent = run.error ? printable("Failed" + (run.failedStage ? " in " + run.failedStage : "") + ": "
      + run.error) : "";
    document.getElementById("rerun").hidden = run.status !== "failed";
    // A running run's bars grow with the clock, so it is drawn on every refresh.
    redraw("run", run.status === "running" ? { detail, at: Date.now() } : { detail }, ({ detail: d }) => {
      drawTimeline(d.stages || [], d.run);
      drawFunnel(d.run, d.splits || {});
      drawExpectations(d.expectations || []);
      drawRejects(d.rejects || { count: 0, sample: [] });
    });
    const key = run.pipeline + "/" + run.runId + "/" + run.status;
    if (key !== state.lineageKey) {
      state.lineageKey = key;
      drawLineage(run.pipeline, run.runId).catch(showError);
    }
    return run.status === "running";
  }

  function drawTimeline(stages, run) {
    const chart = document.getElementById("timeline");
    const rowH = 22, labelW = 110, width = 560, chartW = width - labelW - 70;
    const start = Date.parse(run.startedAt);
    const end = Math.max(start + 1, ...stages.map(s => Date.parse(s.finishedAt || new Date().toISOString())));
    const x = t => labelW + (Date.parse(t) - start) / (end - start) * chartW;
    const order = { extract: 0, transform: 1, combine: 2, store: 3 };
    const sorted = [...stages].sort((a, b) => (order[a.stage] - order[b.stage]) || (a.chunk - b.chunk));
    chart.setAttribute("width", width);
    chart.setAttribute("height", Math.max(1, sorted.length) * rowH + 24);
    chart.replaceChildren(...sorted.map((s, i) => {
      const name = s.chunk < 0 ? s.stage : s.stage + " " + s.chunk;
      const x0 = x(s.startedAt), x1 = Math.max(x0 + 2, x(s.finishedAt || new Date(end).toISOString()));
      return svg("g", { class: "stage", "data-stage": name, "data-status": s.status },
        svg("text", { x: 0, y: i * rowH + 15 }, name),
        svg("rect", { class: "bar-" + s.status, x: x0, y: i * rowH + 4, width: x1 - x0, height: 14, rx: 2 },
          svg("title", {}, name + ": " + s.status + (s.finishedAt ? ", " + secs(s.startedAt, s.finishedAt) : "")
            + (s.attempts > 1 ? ", " + s.attempts + " attempts" : "") + (s.error ? " — " + s.error : ""))),
        svg("text", { x: x1 + 4, y: i * rowH + 15 }, s.finishedAt ? secs(s.startedAt, s.finishedAt) : s.status));
    }), svg("text", { x: labelW, y: sorted.length * rowH + 18, class: "muted" },
      "0 s … " + ((end - start) / 1000).toFixed(2) + " s after the start"));
  }

  function drawFunnel(run, splits) {
    const read = run.rowsIn || 0, rejected = run.rowsRejected || 0, out = run.rowsOut || 0;
    const filtered = Math.max(0, read - rejected - out);
    const scale = v => (read ? Math.max(0.5, v / read * 100) : 0) + "%";
    const row = (id, cls, label, value) => el("div", { class: "funnel-row " + cls, id: id, "data-rows": value },
      el("span", {}, label), el("div", {}, el("div", { class: "funnel-bar", style: "width:" + scale(value) })),
      el("span", { class: "num" }, num(value)));
    const rows = [row("funnel-read", "read", "read", read), row("funnel-rejected", "rejected", "rejected", rejected)];
    if (filtered > 0) rows.push(row("funnel-filtered", "filtered", "filtered or dropped", filtered));
    const names = Object.keys(splits);
    if (names.length) names.forEach(n => rows.push(row("funnel-split-" + n, "split", "written: " + n, splits[n])));
    else rows.push(row("funnel-written", "split", "written", out));
    document.getElementById("funnel").replaceChildren(...rows);
  }

  function drawExpectations(expectations) {
    document.querySelector("#expectations tbody").replaceChildren(...expectations.map(e => {
      const failed = e.failed || 0;
      // A row count judges the run's rows: its observed count is said beside its name, its failed rows in their column.
      const name = e.observed != null ? e.name + " (" + num(e.observed) + " rows)" : e.name;
      return el("tr", { "data-expectation": e.name }, cell(name), el("td", {}, status(failed === 0 ? "passed" : "failed")),
        cell(num(failed), "num"), cell(e.onFailure || ""));
    }));
  }

  function drawRejects(rejects) {
    document.getElementById("rejects-count").textContent = rejects.count
      ? "(" + num(rejects.count) + (rejects.sample.length < rejects.count ? ", the first " + rejects.sample.length + " shown" : "") + ")"
      : "(none)";
    document.querySelector("#rejects tbody").replaceChildren(...rejects.sample.map(r => el("tr", {},
      cell(r.source || ""), cell(r.line, "num"), cell(r.column || ""), cell(r.reason || r.error || ""))));
  }

  async function drawLineage(pipeline, runId) {
    const graph = await api("lineage/" + encodeURIComponent(pipeline), { run: runId });
    document.getElementById("lineage").hidden = false;
    document.getElementById("lineage-of").textContent = printable("of " + pipeline + "/" + runId);
    const nodes = graph.nodes || [], edges = graph.edges || [];
    // Layers: each node one column right of its furthest predecessor, so sources sit left and consumers right.
    const layer = Object.fromEntries(nodes.map(n => [n.id, 0]));
    for (let pass = 0; pass < nodes.length; pass++) {
      let moved = false;
      for (const e of edges) {
        if (e.from in layer && e.to in layer && layer[e.to] < layer[e.from] + 1) { layer[e.to] = layer[e.from] + 1; moved = true; }
      }
      if (!moved) break;
    }
    const columns = [];
    nodes.forEach(n => (columns[layer[n.id]] = columns[layer[n.id]] || []).push(n));
    const boxW = 210, boxH = 40, gapX = 64, gapY = 18;
    const pos = {};
    columns.forEach((col, c) => col.forEach((n, r) => { pos[n.id] = { x: 10 + c * (boxW + gapX), y: 10 + r * (boxH + gapY) }; }));
    const chart = document.getElementById("graph");
    const rows = Math.max(1, ...columns.map(c => c.length));
    chart.setAttribute("width", 20 + columns.length * (boxW + gapX));
    chart.setAttribute("height", 20 + rows * (boxH + gapY));
    // Long names keep their start and their end, where file names and run ids are told apart.
    const short = s => s.length > 28 ? s.slice(0, 10) + "…" + s.slice(s.length - 17) : s;
    const name = n => n.label.startsWith(n.kind + " ") ? n.label.slice(n.kind.length + 1) : n.label;
    const shown = n => short(name(n).replace(/ \(ETag [^)]*\)$/, ""));  // the ETag stays in the tooltip
    const drawnEdges = edges.filter(e => pos[e.from] && pos[e.to]).map(e => {
      const a = pos[e.from], b = pos[e.to];
      const x1 = a.x + boxW, y1 = a.y + boxH / 2, x2 = b.x, y2 = b.y + boxH / 2, mid = (x1 + x2) / 2;
      return svg("g", { class: "link", "data-from": e.from, "data-to": e.to },
        svg("path", { class: "edge", d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`, "marker-end": "url(#arrow)" }),
        e.label ? svg("text", { class: "edge-label", x: mid - 20, y: (y1 + y2) / 2 - 4 }, e.label) : "");
    });
    const drawnNodes = nodes.map(n => {
      const p = pos[n.id];
      return svg("g", { class: "node node-" + n.kind, "data-id": n.id, "data-kind": n.kind, "data-label": name(n),
          transform: `translate(${p.x},${p.y})` },
        svg("rect", { width: boxW, height: boxH }), svg("title", {}, n.label),
        svg("text", { class: "kind", x: 8, y: 14 }, n.kind), svg("text", { x: 8, y: 31 }, shown(n)));
    });
    const defs = svg("defs", {}, svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7,
      markerHeight: 7, orient: "auto-start-reverse" }, svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#8a96a3" })));
    chart.replaceChildren(defs, ...drawnEdges, ...drawnNodes);
  }

  document.querySelector("#rerun button").addEventListener("click", async () => {
    const said = document.querySelector("#rerun span");
    try {
      const answer = await api("runs/" + encodeURIComponent(state.selected) + "/rerun", null, "POST");
      said.textContent = "resuming run " + printable(answer.runId + (answer.resumeFrom ? " from " + answer.resumeFrom : ""));
      select(answer.runId);
    } catch (e) {
      said.textContent = printable(e.message);
    }
  });
  window.addEventListener("hashchange", () => {
    if (location.hash.startsWith("#run=")) select(decodeURIComponent(location.hash.slice(5)));
  });
  document.getElementById("filters").addEventListener("change", refresh);
  document.getElementById("auto").addEventListener("change", refresh);
  refresh();
})();
