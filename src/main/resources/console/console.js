// The Solstice Orchestrator web console: fills the pages from the daemon's JSON API by polling it.
// Text from messages and guests is only ever inserted with textContent / text nodes, never as HTML.
"use strict";

const POLL_MS = 1000;
const LOG_POLL_MS = 500;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  if (className) {
    node.className = className;
  }
  return node;
}

function link(href, text) {
  const a = el("a", text);
  a.href = href;
  return a;
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const cell of cells) {
    const td = document.createElement("td");
    if (cell instanceof Node) {
      td.appendChild(cell);
    } else {
      td.textContent = cell === null || cell === undefined ? "" : String(cell);
    }
    tr.appendChild(td);
  }
  return tr;
}

function replaceRows(tbody, rows) {
  tbody.replaceChildren(...rows);
}

function facts(dl, pairs) {
  const nodes = [];
  for (const [name, value] of pairs) {
    nodes.push(el("dt", name));
    const dd = el("dd");
    if (value instanceof Node) {
      dd.appendChild(value);
    } else {
      dd.textContent = value === null || value === undefined ? "–" : String(value);
    }
    nodes.push(dd);
  }
  dl.replaceChildren(...nodes);
}

function seconds(s) {
  if (s === null || s === undefined) {
    return "";
  }
  if (s < 60) {
    return s.toFixed(1) + " s";
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return m + " min " + Math.floor(s % 60) + " s";
  }
  return Math.floor(m / 60) + " h " + (m % 60) + " min";
}

function bytes(n) {
  if (n === null || n === undefined || n < 0) {
    return "";
  }
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return (i === 0 ? n : n.toFixed(1)) + " " + units[i];
}

function time(iso) {
  return iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "";
}

function stateBadge(state) {
  return el("span", state, "state state-" + (state || "unknown"));
}

async function getJson(url) {
  const response = await fetch(url, {cache: "no-store", credentials: "same-origin"});
  if (!response.ok && response.status !== 503) {
    throw new Error(url + ": HTTP " + response.status);
  }
  return response.json();
}

function status(error) {
  document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
  document.getElementById("error").textContent = error ? String(error.message || error) : "";
}

// Polls fn every ms, one call at a time; stops when fn returns false.
function every(ms, fn) {
  const tick = async () => {
    let again = true;
    try {
      again = (await fn()) !== false;
      status(null);
    } catch (e) {
      status(e);
    }
    if (again) {
      setTimeout(tick, ms);
    }
  };
  tick();
}

// --- actions (only with the daemon's admin token) ----------------------------------------------------

// Asks for confirmation, then POSTs the action with the token as a header (never a cookie: another site
// cannot make the browser send it) and shows what the daemon answered.
async function act(path, question) {
  if (!window.confirm(question)) {
    return;
  }
  const token = document.getElementById("admin-token").value.trim();
  const headers = token ? {"Authorization": "Bearer " + token} : {};
  const out = document.getElementById("action-result");
  try {
    const response = await fetch(path, {method: "POST", headers: headers, cache: "no-store"});
    const body = await response.json();
    out.textContent = response.ok ? "done: " + body.done : "refused (HTTP " + response.status + "): "
        + String(body.error).replace(/^refused: /, "");
    out.className = "action-result" + (response.ok ? "" : " refused");
  } catch (e) {
    out.textContent = "failed: " + e.message;
    out.className = "action-result refused";
  }
}

function keepToken() {
  const input = document.getElementById("admin-token");
  input.value = sessionStorage.getItem("solstice-admin-token") || "";
  input.addEventListener("input", () => sessionStorage.setItem("solstice-admin-token", input.value));
}

// --- jobs -------------------------------------------------------------------------------------------

function jobsPage() {
  const tbody = document.querySelector("#jobs tbody");
  const stateFilter = document.getElementById("filter-state");
  const labelFilter = document.getElementById("filter-label");
  const textFilter = document.getElementById("filter-text");
  let jobs = [];
  const labels = new Set();

  const render = () => {
    const state = stateFilter.value;
    const label = labelFilter.value;
    const text = textFilter.value.trim().toLowerCase();
    const shown = jobs.filter(j => (!state || j.state === state) && (!label || j.label === label)
        && (!text || [j.request_id, j.label, j.image, j.instance, j.repo_url, j.summary, j.outcome]
            .some(v => v && String(v).toLowerCase().includes(text))));
    replaceRows(tbody, shown.map(j => {
      const tr = row([link("/job?id=" + encodeURIComponent(j.request_id), j.request_id), stateBadge(j.state),
        j.label, j.image, j.instance, j.attempts, seconds(j.waiting_seconds), seconds(j.duration_seconds),
        j.outcome || "", j.repo_url || ""]);
      tr.dataset.id = j.request_id;
      tr.dataset.state = j.state;
      return tr;
    }));
    document.getElementById("count").textContent = shown.length + " of " + jobs.length + " jobs";
  };

  const addLabels = () => {
    for (const j of jobs) {
      if (j.label && !labels.has(j.label)) {
        labels.add(j.label);
        const option = el("option", j.label);
        option.value = j.label;
        labelFilter.appendChild(option);
      }
    }
  };

  for (const input of [stateFilter, labelFilter, textFilter]) {
    input.addEventListener("input", render);
  }
  document.getElementById("filters").addEventListener("submit", e => e.preventDefault());
  every(POLL_MS, async () => {
    jobs = (await getJson("/api/jobs?limit=200")).jobs; // newest first
    addLabels();
    render();
  });
}

// --- one job ----------------------------------------------------------------------------------------

function jobPage() {
  const id = new URLSearchParams(location.search).get("id") || "";
  if (!UUID.test(id)) {
    document.getElementById("job-id").textContent = "(not a request id)";
    status(new Error("the address must name a job: /job?id=<request id>"));
    return;
  }
  const base = "/api/jobs/" + id;
  document.getElementById("job-id").textContent = id;
  document.getElementById("console-link").href = base + "/console";
  document.getElementById("cancel-job").addEventListener("click", () =>
      act("/api/actions/cancel?job=" + encodeURIComponent(id), "Cancel job " + id + "? Its VM is shut down."));
  let finished = false;

  every(POLL_MS, async () => {
    const body = await getJson(base);
    const job = body.job;
    const state = document.getElementById("job-state");
    state.textContent = job.state;
    state.className = "state state-" + job.state;
    document.getElementById("job-outcome").textContent = job.outcome || "";
    facts(document.getElementById("job-facts"), [["Label", job.label], ["Image", job.image],
      ["Host", job.instance], ["Attempt", job.attempts], ["Waiting", seconds(job.waiting_seconds)],
      ["Duration", seconds(job.duration_seconds)], ["Repository", job.repo_url],
      ["Result published", job.result_published ? "yes" : "no"]]);
    replaceRows(document.querySelector("#timeline tbody"),
        body.timeline.map(s => row([s.step, s.at ? time(s.at) : "–"])));
    document.getElementById("request").textContent = JSON.stringify(body.request, null, 2);
    document.getElementById("summary").textContent =
        job.summary || (job.state === "finished" ? "" : "not finished yet");
    document.getElementById("result").textContent = body.result ? JSON.stringify(body.result, null, 2) : "";
    finished = job.state === "finished";
    document.getElementById("cancel-job").hidden = finished;
    return !finished;
  });

  // Follows the log like `logs --follow`: asks for what was added since the last offset.
  const log = document.getElementById("log");
  const logState = document.getElementById("log-state");
  const follow = document.getElementById("follow");
  let offset = 0;
  every(LOG_POLL_MS, async () => {
    const slice = await getJson(base + "/log?offset=" + offset);
    if (slice.text) {
      log.appendChild(document.createTextNode(slice.text));
      if (follow.checked) {
        log.scrollTop = log.scrollHeight;
      }
    }
    const more = slice.next_offset > offset;
    offset = slice.next_offset;
    if (!slice.exists) {
      logState.textContent = finished ? "no log on this host" : "waiting for the log…";
      return !finished;
    }
    logState.textContent = slice.live ? "following the live log…" : "the whole log (the job has ended)";
    return slice.live || more || !finished;
  });
}

// --- labels and images --------------------------------------------------------------------------------

function imagesPage() {
  const tbody = document.querySelector("#images tbody");
  every(2 * POLL_MS, async () => {
    const body = await getJson("/api/images");
    replaceRows(tbody, body.images.map(i => {
      let preparation = "";
      if (i.preparation) {
        const p = i.preparation;
        const span = el("span", p.phase + " (attempt " + p.attempt + ")"
            + (p.position ? ", " + bytes(p.position) + (p.total > 0 ? " of " + bytes(p.total) : "") : "")
            + (p.detail ? ": " + p.detail : ""));
        if (p.phase === "preparing" && p.total > 0) {
          const bar = document.createElement("progress");
          bar.max = p.total;
          bar.value = p.position;
          const both = el("span");
          both.append(bar, " ", span);
          preparation = both;
        } else {
          preparation = span;
        }
      }
      const again = el("button", "Prepare again", "action");
      again.type = "button";
      again.addEventListener("click", () => act("/api/actions/prepare?image=" + encodeURIComponent(i.image),
          "Prepare image " + i.image + " again from its source?"));
      const tr = row([i.image, (i.aliases || []).join(", "), i.in_use, i.limit, i.waiting, stateBadge(i.state),
        bytes(i.size), el("code", i.sha256 || "", "hash"), i.source, preparation, again]);
      tr.dataset.image = i.image;
      return tr;
    }));
  });
}

// --- this host ----------------------------------------------------------------------------------------

function hostPage() {
  document.getElementById("drain-host").addEventListener("click", () =>
      act("/api/actions/drain", "Drain this host? It takes no new jobs until it is restarted; jobs not started"
          + " go back to the broker; running ones finish."));
  every(2 * POLL_MS, async () => {
    const [host, ready, capacity] = await Promise.all([getJson("/api/host"), getJson("/readyz"),
      getJson("/api/capacity")]);
    document.getElementById("instance").textContent = host.instance;
    const r = document.getElementById("ready");
    r.textContent = ready.ready ? "ready" : "not ready: " + ready.not_ready.join(", ");
    r.className = "state state-" + (ready.ready ? "ready" : "failed");
    replaceRows(document.querySelector("#readiness tbody"), Object.entries(ready.checks).map(([name, c]) =>
        row([name, c.ok ? "ok" : "not ok", c.detail || ""])));
    facts(document.getElementById("host-facts"), [["Instance", host.instance], ["State", host.state],
      ["Version", host.version],
      ["Backends", host.backends.join(", ")], ["Up since", time(host.started_at)],
      ["Uptime", seconds(host.uptime_seconds)]]);
    facts(document.getElementById("capacity"), [["In use", capacity.global.in_use],
      ["Limit", capacity.global.limit], ["Waiting", capacity.global.waiting]]);
    replaceRows(document.querySelector("#instances tbody"), host.instances.map(i =>
        row([i.instance + (i.this_host ? " (this host)" : ""), i.jobs, i.unfinished, time(i.last_accepted_at)])));
  });
}

const pages = {jobs: jobsPage, job: jobPage, images: imagesPage, host: hostPage};
document.addEventListener("DOMContentLoaded", () => {
  keepToken();
  const page = pages[document.body.dataset.page];
  if (page) {
    page();
  }
});
