// What is heard and lit now, the valence-arousal plane, the regions (tap one to correct it).
"use strict";
import { $, api, act, esc } from "./api.js";
import { onState } from "./live.js";

export const COLORS = { happy: "#f5c542", tense: "#ff4d4d", sad: "#6d95ff", calm: "#49d19a", silence: "#8a8f98" };
let selectedRegion = null;
let regionsKey = "";

export function initNow() {
  onState(renderNow);
  onState(drawPlane);
  onState(drawTimeline);
  $("correctSend").addEventListener("click", () => {
    if (!selectedRegion) { return; }
    act(async () => {
      await api("POST", "/mood/correct", { start_s: selectedRegion.start_s, end_s: selectedRegion.end_s, mood: $("correctMood").value });
      $("correction").classList.add("hidden");
    }, "correction stored: LightMood learns from it");
  });
}

function renderNow(s) {
  const m = s.mood, l = s.lights;
  const shown = l.forced ? l.mood : (m ? m.mood : null);
  $("mood").textContent = shown || "–";
  $("mood").style.color = COLORS[shown] || "";
  $("mood").dataset.mood = shown || "";
  $("confidence").textContent = m ? `heard: ${m.mood}, confidence ${(m.confidence * 100).toFixed(0)} %` : "listening…";
  $("details").textContent = m
    ? `valence ${m.valence.toFixed(2)} · arousal ${m.arousal.toFixed(2)} · ${m.tempo_bpm ? m.tempo_bpm.toFixed(0) + " BPM" : "no beat"} · since ${m.region_start_s.toFixed(1)} s`
    : "";
  $("lookline").textContent = `look ${l.look} · ${l.mode}${l.forced_until ? " until " + new Date(l.forced_until).toLocaleTimeString() : ""}`;
  const chips = [];
  if (l.blackout) { chips.push(["chip-blackout", "BLACKOUT"]); }
  if (l.house) { chips.push(["chip-house", "HOUSE"]); }
  if (l.preview) { chips.push(["chip-preview", "PREVIEW"]); }
  // every faulted stage (the lights hold the safe look while any is), then notices that are not faults
  for (const [stage, why] of Object.entries(s.faults || {})) { chips.push(["chip-fault", `FAULT: ${stage}: ${why}`]); }
  for (const [topic, why] of Object.entries(s.notices || {})) { chips.push(["chip-fault", `${topic}: ${why}`]); }
  const html = chips.map(([c, t]) => `<span class="chip ${c}">${esc(t)}</span>`).join("");
  if ($("chips").innerHTML !== html) { $("chips").innerHTML = html; }
}

function drawPlane(s) {
  const c = $("plane"), g = c.getContext("2d"), w = c.width, h = c.height;
  g.clearRect(0, 0, w, h);
  const quad = [["happy", w / 2, 0], ["tense", 0, 0], ["sad", 0, h / 2], ["calm", w / 2, h / 2]];
  for (const [name, x, y] of quad) {
    g.fillStyle = COLORS[name] + "22"; g.fillRect(x, y, w / 2, h / 2);
    g.fillStyle = COLORS[name]; g.font = "16px sans-serif"; g.fillText(name, x + 8, y + 22);
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

function drawTimeline(s) {
  const t = $("timeline");
  const key = s.regions.map((r) => `${r.mood}${r.start_s.toFixed(1)}-${r.end_s.toFixed(0)}`).join("|");
  if (key === regionsKey) { return; }
  regionsKey = key;
  if (s.regions.length === 0) { t.innerHTML = '<span class="sub">no regions yet</span>'; return; }
  const start = s.regions[0].start_s, end = s.regions[s.regions.length - 1].end_s, span = Math.max(end - start, 1);
  t.innerHTML = "";
  for (const r of s.regions) {
    const d = document.createElement("button");
    d.type = "button";
    d.style.flexGrow = String(Math.max((r.end_s - r.start_s) / span, 0.001));
    d.style.background = COLORS[r.mood];
    d.textContent = r.mood;
    d.title = `${r.mood} ${r.start_s.toFixed(1)}–${r.end_s.toFixed(1)} s (${(r.confidence * 100).toFixed(0)} %)`;
    d.setAttribute("aria-label", d.title);
    d.onclick = () => {
      selectedRegion = r;
      $("correction").classList.remove("hidden");
      $("correctionText").textContent = `${r.start_s.toFixed(1)}–${r.end_s.toFixed(1)} s was heard as ${r.mood};`;
    };
    t.appendChild(d);
  }
}
