// LightMood operator page: reads /api/events (Server-Sent Events), sends commands to /api.
"use strict";
const $ = (id) => document.getElementById(id);
const COLORS = { happy: "#f5c542", tense: "#ff4d4d", sad: "#4d7dff", calm: "#49d19a", silence: "#8a8f98" };
let latest = null;
let selectedRegion = null;
let spectrogram = null; // offscreen column buffer

async function api(method, path, body) {
  const res = await fetch("/api" + path, {
    method,
    // always JSON: the daemon refuses a body-less or form request that changes something (a cross-site page could send one)
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : (typeof body === "string" ? body : JSON.stringify(body)),
  });
  if (!res.ok) {
    let detail = res.statusText;
    try { const p = await res.json(); detail = p.detail || p.title || detail; } catch { /* not JSON */ }
    say(detail, false);
    throw new Error(detail);
  }
  return res;
}

function say(text, ok) {
  const m = $("message");
  m.textContent = text;
  m.className = "message" + (ok ? " ok" : "");
}

function connect() {
  const source = new EventSource("/api/events");
  source.onopen = () => { $("conn").textContent = "live"; $("conn").className = "conn live"; };
  source.onerror = () => { $("conn").textContent = "reconnecting…"; $("conn").className = "conn"; };
  source.onmessage = (e) => render(JSON.parse(e.data));
}

function render(s) {
  latest = s;
  const m = s.mood;
  const shown = s.lights.forced ? s.lights.mood : (m ? m.mood : null);
  $("mood").textContent = shown || "–";
  $("mood").style.color = COLORS[shown] || "";
  $("mood").dataset.mood = shown || "";
  $("confidence").textContent = m ? `heard: ${m.mood}, confidence ${(m.confidence * 100).toFixed(0)} %` : "listening…";
  $("details").textContent = m
    ? `valence ${m.valence.toFixed(2)} · arousal ${m.arousal.toFixed(2)} · ${m.tempo_bpm ? m.tempo_bpm.toFixed(0) + " BPM" : "no beat"} · since ${m.region_start_s.toFixed(1)} s`
    : "";
  const l = s.lights;
  $("lookline").textContent = `look ${l.look} · ${l.mode}${l.forced_until ? " until " + new Date(l.forced_until).toLocaleTimeString() : ""}`
    + `${l.blackout ? " · BLACKOUT" : ""}${l.faulted ? " · fault: " + l.fault_reason : ""}`;
  $("blackout").classList.toggle("active", l.blackout);
  $("release").classList.toggle("active", l.mode === "auto");
  document.querySelectorAll("[data-force]").forEach((b) => b.classList.toggle("active", l.forced && l.mood === b.dataset.force));
  if (document.activeElement !== $("master")) {
    $("master").value = l.master;
    $("masterValue").textContent = `${Math.round(l.master * 100)} %`;
  }
  drawPlane(s);
  drawSpectrogram(s.mel);
  drawTimeline(s);
  drawFixtures(s);
  drawDmx(s);
}

function drawPlane(s) {
  const c = $("plane"), g = c.getContext("2d"), w = c.width, h = c.height;
  g.clearRect(0, 0, w, h);
  const quad = [["happy", w / 2, 0], ["tense", 0, 0], ["sad", 0, h / 2], ["calm", w / 2, h / 2]];
  for (const [name, x, y] of quad) {
    g.fillStyle = COLORS[name] + "22"; g.fillRect(x, y, w / 2, h / 2);
    g.fillStyle = COLORS[name]; g.font = "14px sans-serif"; g.fillText(name, x + 8, y + 20);
  }
  g.strokeStyle = "#444"; g.beginPath(); g.moveTo(w / 2, 0); g.lineTo(w / 2, h); g.moveTo(0, h / 2); g.lineTo(w, h / 2); g.stroke();
  const px = (v) => (v + 1) / 2 * w, py = (a) => (1 - (a + 1) / 2) * h;
  s.trail.forEach(([v, a], i) => {
    g.fillStyle = `rgba(255,255,255,${(i + 1) / s.trail.length * 0.5})`;
    g.beginPath(); g.arc(px(v), py(a), 3, 0, Math.PI * 2); g.fill();
  });
  if (s.mood) {
    g.fillStyle = "#fff"; g.beginPath(); g.arc(px(s.mood.valence), py(s.mood.arousal), 8, 0, Math.PI * 2); g.fill();
  }
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

function drawTimeline(s) {
  const t = $("timeline");
  if (s.regions.length === 0) { t.innerHTML = ""; return; }
  const start = s.regions[0].start_s, end = s.regions[s.regions.length - 1].end_s, span = Math.max(end - start, 1);
  t.innerHTML = "";
  for (const r of s.regions) {
    const d = document.createElement("div");
    d.style.width = `${((r.end_s - r.start_s) / span) * 100}%`;
    d.style.background = COLORS[r.mood];
    d.textContent = r.mood;
    d.title = `${r.mood} ${r.start_s.toFixed(1)}–${r.end_s.toFixed(1)} s (${(r.confidence * 100).toFixed(0)} %)`;
    d.onclick = () => {
      selectedRegion = r;
      $("correction").classList.remove("hidden");
      $("correctionText").textContent = `${r.start_s.toFixed(1)}–${r.end_s.toFixed(1)} s was heard as ${r.mood}; it is:`;
    };
    t.appendChild(d);
  }
}

function drawFixtures(s) {
  const f = $("fixtures");
  if (f.children.length !== s.fixtures.length) {
    f.innerHTML = s.fixtures.map((x) => `<div class="fixture"><div class="swatch"></div>${x.name}</div>`).join("");
  }
  s.fixtures.forEach((x, i) => {
    const sw = f.children[i].firstChild;
    sw.style.background = x.colour;
    sw.style.opacity = 0.25 + 0.75 * x.intensity;
    sw.title = `${x.name} (${x.group}) ${x.colour} ${(x.intensity * 100).toFixed(0)} %`;
  });
}

function drawDmx(s) {
  const sel = $("universe");
  if (sel.options.length !== s.universes.length) {
    sel.innerHTML = s.universes.map((u, i) => `<option value="${i}">Art-Net ${u.port_address} · sACN ${u.sacn_universe}</option>`).join("");
  }
  const u = s.universes[Number(sel.value) || 0];
  if (!u) { return; }
  const slots = Uint8Array.from(atob(u.slots), (ch) => ch.charCodeAt(0));
  const grid = $("dmx");
  if (grid.children.length !== 512) {
    grid.innerHTML = Array.from({ length: 512 }, (_, i) => `<span title="${i + 1}"></span>`).join("");
  }
  for (let i = 0; i < 512; i++) {
    const cell = grid.children[i];
    const text = String(slots[i]);
    if (cell.textContent !== text) { cell.textContent = text; cell.className = slots[i] ? "on" : ""; }
  }
}

document.querySelectorAll("[data-force]").forEach((b) => b.addEventListener("click", async () => {
  const seconds = Number($("holdSeconds").value) || null;
  await api("POST", "/mood/force", { mood: b.dataset.force, seconds });
  say(`forced ${b.dataset.force}${seconds ? " for " + seconds + " s" : " until released"}`, true);
}));
$("release").addEventListener("click", async () => { await api("POST", "/mood/release"); say("following the music", true); });
$("blackout").addEventListener("click", async () => {
  const on = !(latest && latest.lights.blackout);
  await api("POST", "/output/blackout", { on });
  say(on ? "blackout" : "blackout released", true);
});
$("master").addEventListener("input", async (e) => {
  $("masterValue").textContent = `${Math.round(e.target.value * 100)} %`;
  await api("POST", "/output/master", { level: Number(e.target.value) });
});
$("correctSend").addEventListener("click", async () => {
  if (!selectedRegion) { return; }
  await api("POST", "/mood/correct", { start_s: selectedRegion.start_s, end_s: selectedRegion.end_s, mood: $("correctMood").value });
  say("correction stored: LightMood learns from it", true);
  $("correction").classList.add("hidden");
});
$("sceneLoad").addEventListener("click", async () => {
  const res = await api("GET", "/scenes/" + $("sceneMood").value);
  $("sceneJson").value = JSON.stringify(await res.json(), null, 2);
});
$("sceneSave").addEventListener("click", async () => {
  await api("PUT", "/scenes/" + $("sceneMood").value, $("sceneJson").value);
  say(`scene ${$("sceneMood").value} saved`, true);
});
$("sceneUndo").addEventListener("click", async () => {
  await api("POST", "/scenes/undo");
  say("last scene edit undone", true);
  $("sceneLoad").click();
});
async function refreshNodes() {
  try {
    const nodes = await (await fetch("/api/nodes")).json();
    const text = (x) => String(x).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    $("nodes").innerHTML = nodes.length === 0 ? "<li>none yet</li>" : nodes.map((n) =>
      `<li><b>${text(n.short_name)}</b> ${text(n.address)}${n.bind_index > 1 ? " #" + n.bind_index : ""} · ${text(n.style)}`
      + ` · outputs ${n.outputs.map(text).join(", ") || "–"} · gets ${n.receives.map(text).join(", ") || "nothing"}</li>`).join("");
  } catch { /* next time */ }
}
$("sceneLoad").click();
refreshNodes();
setInterval(refreshNodes, 3000);
connect();
