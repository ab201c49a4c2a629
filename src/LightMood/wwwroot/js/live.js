// The live state: fetched at once (no empty panels on first paint), then kept current by Server-Sent Events.
"use strict";
import { $ } from "./api.js";

const renderers = [];
export let latest = null;

/** Registers a function called with every new state. */
export function onState(render) {
  renderers.push(render);
  if (latest) { render(latest); }
}

function publish(state) {
  latest = state;
  for (const r of renderers) {
    try { r(state); } catch (e) { console.error(e); }
  }
}

export async function startLive() {
  try {
    publish(await (await fetch("/api/state", { credentials: "same-origin" })).json());
  } catch { /* the event stream will bring it */ }
  const source = new EventSource("/api/events");
  source.onopen = () => { $("conn").textContent = "live"; $("conn").className = "conn live"; };
  source.onerror = () => { $("conn").textContent = "reconnecting…"; $("conn").className = "conn"; };
  source.onmessage = (e) => publish(JSON.parse(e.data));
}
