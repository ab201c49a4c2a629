// Monitors: the mel spectrogram (dimmable), the fixtures' colours (legible when dim), the DMX per universe
// (collapsible), the OSC server, the Art-Net nodes found by ArtPoll (GET /api/nodes, where the daemon has it) and the
// other sACN sources it hears (GET /api/sacn/sources, where it has it).
"use strict";
import { $, esc } from "./api.js";
import { onState } from "./live.js";

let spectrogram = null;
const universeGrids = new Map();

export function initMonitor() {
  const dim = $("specDim");
  dim.value = localStorage.getItem("lightmood.specDim") || dim.value;
  const applyDim = () => { $("spectrogram").style.filter = `brightness(${dim.value})`; localStorage.setItem("lightmood.specDim", dim.value); };
  dim.addEventListener("input", applyDim);
  applyDim();
  onState((s) => drawSpectrogram(s.mel));
  onState(drawFixtures);
  onState(drawDmx);
  onState(drawOsc);
  refreshNodes();
  setInterval(refreshNodes, 3000);
  refreshSources();
  setInterval(refreshSources, 1000);
}

function drawSpectrogram(mel) {
  const c = $("spectrogram"), g = c.getContext("2d");
  if (!spectrogram) { spectrogram = g.createImageData(c.width, c.height); }
  const bytes = Uint8Array.from(atob(mel.data), (ch) => ch.charCodeAt(0));
  const cols = mel.columns, bands = mel.bands, w = c.width, h = c.height, d = spectrogram.data;
  if (cols === 0) { return; }
  // scroll left by cols, then draw the new columns at the right edge
  for (let y = 0; y < h; y++) {
    d.copyWithin(y * w * 4, (y * w + Math.min(cols, w)) * 4, (y + 1) * w * 4);
  }
  for (let i = Math.max(0, cols - w); i < cols; i++) {
    const x = w - cols + i;
    for (let b = 0; b < bands && b < h; b++) {
      const v = bytes[i * bands + b], o = ((h - 1 - b) * w + x) * 4;
      d[o] = Math.min(255, v * 1.6); d[o + 1] = Math.max(0, v * 1.2 - 80); d[o + 2] = Math.max(0, 160 - v); d[o + 3] = 255;
    }
  }
  g.putImageData(spectrogram, 0, 0);
}

/** Each fixture: its look's hue at full strength, the emitted level as a bar and a number, so a dim look stays legible. */
function drawFixtures(s) {
  const f = $("fixtures");
  if (f.querySelectorAll(".fixture").length !== s.fixtures.length) {
    f.innerHTML = s.fixtures.map((x) => `<div class="fixture"><div class="swatch"><div class="level"></div><span></span></div>`
      + `<div class="name">${esc(x.name)}</div></div>`).join("");
  }
  s.fixtures.forEach((x, i) => {
    const sw = f.children[i].firstChild;
    const pct = Math.round(x.intensity * 100);
    sw.style.background = x.tint;
    sw.firstChild.style.height = `${100 - pct}%`;
    sw.lastChild.textContent = `${pct} %`;
    sw.title = `${x.name} (${x.group}) look ${x.tint}, emitting ${x.colour} at ${pct} %`;
  });
}

/** One collapsible block per universe; closed on a phone at first, and only an open one is drawn. */
function drawDmx(s) {
  const box = $("dmx");
  for (const u of s.universes) {
    let entry = universeGrids.get(u.universe);
    if (!entry) {
      const det = document.createElement("details");
      det.open = window.innerWidth >= 900 && universeGrids.size === 0;
      det.innerHTML = `<summary>Art-Net ${esc(u.port_address)} · sACN ${u.sacn_universe} <span class="sub"></span></summary><div class="dmx"></div>`;
      box.appendChild(det);
      entry = { det, grid: det.querySelector(".dmx"), count: det.querySelector("summary .sub") };
      universeGrids.set(u.universe, entry);
    }
    const slots = Uint8Array.from(atob(u.slots), (ch) => ch.charCodeAt(0));
    let on = 0;
    for (let i = 0; i < 512; i++) { if (slots[i]) { on++; } }
    entry.count.textContent = `${on} channels on`;
    if (!entry.det.open) { continue; }
    const grid = entry.grid;
    if (grid.children.length !== 512) {
      grid.innerHTML = Array.from({ length: 512 }, (_, i) => `<span title="${i + 1}"></span>`).join("");
    }
    for (let i = 0; i < 512; i++) {
      const cell = grid.children[i], text = String(slots[i]);
      if (cell.textContent !== text) { cell.textContent = text; cell.className = slots[i] ? "on" : ""; }
    }
  }
}

function drawOsc(s) {
  const o = s.osc;
  const text = !o || !o.enabled ? "OSC: off (Osc:Enabled)"
    : `OSC on udp ${o.endpoint}: ${o.packets} packets, ${o.messages} commands, ${o.malformed} malformed, `
      + `${o.unmatched} unknown addresses, ${o.rejected} bad arguments, ${o.refused} from senders not allowed`;
  if ($("osc").textContent !== text) { $("osc").textContent = text; }
}

// the API description, fetched once: a list is drawn only where the daemon has its endpoint (never a 404)
let apiPaths;
async function apiHas(path) {
  apiPaths ??= fetch("/openapi/v1.json", { credentials: "same-origin" }).then((r) => r.json()).then((d) => d.paths || {});
  try { return path in await apiPaths; } catch { apiPaths = undefined; return false; }
}

async function refreshNodes() {
  try {
    if (!await apiHas("/api/nodes")) { return; }
    const nodes = await (await fetch("/api/nodes", { credentials: "same-origin" })).json();
    $("nodesBlock").classList.remove("hidden");
    const now = Date.now();
    $("nodes").innerHTML = nodes.length === 0 ? "<li>none found yet (ArtPoll)</li>" : nodes.map((n) => {
      const seen = n.last_seen ? Math.max(0, Math.round((now - Date.parse(n.last_seen)) / 1000)) : null;
      return `<li class="node"><b>${esc(n.short_name || "node")}</b> ${esc(n.address)}${n.bind_index > 1 ? " #" + n.bind_index : ""}`
        + ` · ${esc(n.style)} · outputs ${n.outputs.map(esc).join(", ") || "–"} · gets ${n.receives.map(esc).join(", ") || "nothing"}`
        + `${seen === null ? "" : ` · <span class="${seen > 10 ? "stale" : "fresh"}">seen ${seen} s ago</span>`}`
        + `${n.report ? `<div class="sub">${esc(n.report)}</div>` : ""}</li>`;
    }).join("");
  } catch { /* next time */ }
}

async function refreshSources() {
  try {
    if (!await apiHas("/api/sacn/sources")) { return; }
    const r = await (await fetch("/api/sacn/sources", { credentials: "same-origin" })).json();
    $("sourcesBlock").classList.remove("hidden");
    const now = Date.now();
    const html = !r.listening ? "<li>not listening (Lighting:Sacn:ListenForSources)</li>"
      : r.sources.length === 0 ? "<li>none heard yet</li>"
      : r.sources.map((s) => {
        const seen = Math.max(0, Math.round((now - Date.parse(s.last_seen)) / 1000));
        const state = s.state === "active" ? "fresh" : "stale";
        return `<li class="source" data-state="${esc(s.state)}"><b>${esc(s.name || "source")}</b> ${esc(s.address)}`
          + ` · <span class="${state}">${esc(s.state)}</span>`
          + (s.priority === null ? "" : ` · priority ${s.priority}${s.outranks ? ` <span class="stale">over LightMood's ${r.own_priority}</span>` : ""}`)
          + ` · universes ${s.universes.join(", ") || "–"}${s.announced.length ? ` · announces ${s.announced.join(", ")}` : ""}`
          + ` · seen ${seen} s ago</li>`;
      }).join("");
    if ($("sources").innerHTML !== html) { $("sources").innerHTML = html; }
  } catch { /* next time */ }
}
