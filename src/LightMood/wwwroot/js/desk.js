// The desk: a mood pad for one thumb, auto, blackout (armed red, released deliberately with a second tap), house
// lights, master (sent at most at the render rate), fade time, and per-group intensity and colour overrides.
"use strict";
import { $, api, act, latestOnly, esc } from "./api.js";
import { onState, latest } from "./live.js";

const RELEASE_WINDOW_MS = 3000;
let releaseArmedUntil = 0;
let groupNames = "";

/** Milliseconds between two sends of a continuous control: one render frame. */
const frameMs = () => 1000 / ((latest && latest.lights.rate_hz) || 40);

export function initDesk() {
  document.querySelectorAll("[data-force]").forEach((b) => b.addEventListener("click", () => {
    const seconds = Number($("holdSeconds").value) || null;
    act(() => api("POST", "/mood/force", { mood: b.dataset.force, seconds }),
      `forced ${b.dataset.force}${seconds ? " for " + seconds + " s" : " until released"}`);
  }));
  $("release").addEventListener("click", () => act(() => api("POST", "/mood/release"), "following the music"));

  $("blackout").addEventListener("click", () => {
    const on = latest && latest.lights.blackout;
    if (!on) {
      act(() => api("POST", "/output/blackout", { on: true }), "BLACKOUT: tap twice to release");
    } else if (performance.now() > releaseArmedUntil) {
      releaseArmedUntil = performance.now() + RELEASE_WINDOW_MS;
      renderBlackout(true);
      setTimeout(() => renderBlackout(latest && latest.lights.blackout), RELEASE_WINDOW_MS + 50);
    } else {
      releaseArmedUntil = 0;
      act(() => api("POST", "/output/blackout", { on: false }), "blackout released");
    }
  });
  $("house").addEventListener("click", () => {
    const on = !(latest && latest.lights.house);
    act(() => api("POST", "/output/house", { on }), on ? "house lights on" : "house lights off");
  });

  const sendMaster = latestOnly((level) => act(() => api("POST", "/output/master", { level })), frameMs);
  $("master").addEventListener("input", (e) => {
    $("masterValue").textContent = `${Math.round(e.target.value * 100)} %`;
    sendMaster(Number(e.target.value));
  });
  $("fade").addEventListener("input", (e) => { $("fadeValue").textContent = `${Number(e.target.value).toFixed(1)} s`; });
  $("fade").addEventListener("change", (e) =>
    act(() => api("POST", "/output/fade", { seconds: Number(e.target.value) }), `fade ${Number(e.target.value).toFixed(1)} s`));

  onState(renderDesk);
  onState(renderGroups);
}

function renderBlackout(on) {
  const b = $("blackout");
  const confirming = on && performance.now() < releaseArmedUntil;
  b.classList.toggle("armed", !!on);
  b.classList.toggle("confirm", confirming);
  b.setAttribute("aria-pressed", String(!!on));
  const text = !on ? "blackout" : confirming ? "tap again to release" : "BLACKOUT · tap twice to release";
  if (b.textContent !== text) { b.textContent = text; }
}

function renderDesk(s) {
  const l = s.lights;
  renderBlackout(l.blackout);
  $("house").classList.toggle("active", l.house);
  $("house").setAttribute("aria-pressed", String(l.house));
  $("release").classList.toggle("active", l.mode === "auto");
  document.querySelectorAll("[data-force]").forEach((b) => {
    const on = l.forced && l.mood === b.dataset.force;
    b.classList.toggle("active", on);
    b.setAttribute("aria-pressed", String(on));
  });
  if (document.activeElement !== $("master")) {
    $("master").value = l.master;
    $("masterValue").textContent = `${Math.round(l.master * 100)} %`;
  }
  if (document.activeElement !== $("fade")) {
    $("fade").value = l.crossfade_s;
    $("fadeValue").textContent = `${l.crossfade_s.toFixed(1)} s`;
  }
}

/** A row per patch group: intensity and colour overrides (each sent at most once a frame), and release. */
function renderGroups(s) {
  const box = $("groups");
  const names = s.groups.map((g) => g.name).join("|");
  if (names !== groupNames) {
    groupNames = names;
    box.innerHTML = s.groups.map((g, i) => `
      <div class="group" data-group="${esc(g.name)}">
        <span class="group-name">${esc(g.name)}</span>
        <label>intensity <input type="range" min="0" max="1" step="0.01" value="1" data-part="intensity" aria-label="${esc(g.name)} intensity"></label>
        <label class="swatch-input">colour <input type="color" value="#ffffff" data-part="colour" aria-label="${esc(g.name)} colour" id="groupColour${i}"></label>
        <button type="button" data-part="clear">release</button>
      </div>`).join("") || '<p class="sub">the patch has no groups</p>';
    box.querySelectorAll(".group").forEach((row) => wireGroup(row));
  }
  for (const g of s.groups) {
    const row = box.querySelector(`.group[data-group="${CSS.escape(g.name)}"]`);
    if (!row) { continue; }
    row.classList.toggle("overridden", g.intensity !== null || g.colour !== null);
    const level = row.querySelector("[data-part=intensity]"), colour = row.querySelector("[data-part=colour]");
    level.classList.toggle("active", g.intensity !== null);
    colour.parentElement.classList.toggle("active", g.colour !== null);
    if (document.activeElement !== level && g.intensity !== null) { level.value = g.intensity; }
    if (document.activeElement !== colour && g.colour !== null) { colour.value = g.colour; }
  }
}

/** What this page last set for each group (the state catches up a frame or two later). */
const mine = new Map();

function wireGroup(row) {
  const name = row.dataset.group;
  const own = () => {
    if (!mine.has(name)) {
      const g = (latest && latest.groups.find((x) => x.name === name)) || {};
      mine.set(name, { intensity: g.intensity ?? null, colour: g.colour ?? null });
    }
    return mine.get(name);
  };
  const send = latestOnly((body) => act(() => api("POST", `/groups/${encodeURIComponent(name)}/override`, body)), frameMs);
  row.querySelector("[data-part=intensity]").addEventListener("input", (e) => {
    own().intensity = Number(e.target.value);
    send({ ...own() });
  });
  row.querySelector("[data-part=colour]").addEventListener("input", (e) => {
    own().colour = e.target.value;
    send({ ...own() });
  });
  row.querySelector("[data-part=clear]").addEventListener("click", () => {
    mine.delete(name);
    act(() => api("DELETE", `/groups/${encodeURIComponent(name)}/override`), `${name}: back to the look`);
  });
}
