// Audio input: the capture devices PortAudio sees, the one in use, the channel, and the input level.
"use strict";
import { $, api, act, esc, ApiError } from "./api.js";
import { onState } from "./live.js";

let devices = [];

export function initAudio() {
  $("audioRefresh").addEventListener("click", refresh);
  $("audioSource").addEventListener("change", channels);
  $("audioApply").addEventListener("click", async () => {
    $("audioError").textContent = "";
    const [source, device] = $("audioSource").value.split("\u0000");
    const body = { source, device: device || null, channel: Number($("audioChannel").value) };
    try {
      await api("POST", "/audio/input", body);
      act(async () => {}, `audio input: ${device || source}`);
    } catch (e) {
      $("audioError").textContent = e instanceof ApiError && Object.keys(e.errors).length
        ? Object.entries(e.errors).map(([k, v]) => `${k}: ${v.join("; ")}`).join(" · ") : e.message;
    }
  });
  onState(meter);
  refresh();
}

async function refresh() {
  try {
    const a = await (await api("GET", "/audio")).json();
    devices = a.devices || [];
    const options = a.sources.filter((s) => s !== "portaudio").map((s) => [s, "", s === "demo" ? "demo track (bundled)" : s]);
    for (const d of devices) {
      options.push(["portaudio", d.name, `${d.name} · ${d.host_api} · ${d.channels} ch${d.is_default ? " · default" : ""}`]);
    }
    $("audioSource").innerHTML = options.map(([s, d, label]) =>
      `<option value="${esc(s + "\u0000" + d)}">${esc(label)}</option>`).join("");
    const inUse = a.source === "portaudio" ? `portaudio\u0000${a.device || ""}` : `${a.source}\u0000`;
    if ([...$("audioSource").options].some((o) => o.value === inUse)) { $("audioSource").value = inUse; }
    channels(a.channel);
    $("audioError").textContent = a.devices_error ? `line-in: ${a.devices_error}` : "";
  } catch (e) { $("audioError").textContent = e.message; }
}

/** Channel choices for the selected device: the mix, or one of its channels (first 16). */
function channels(selected) {
  const [source, name] = $("audioSource").value.split("\u0000");
  const d = source === "portaudio" ? devices.find((x) => x.name === name) : null;
  const n = d ? Math.min(d.channels, 16) : 0;
  $("audioChannel").innerHTML = `<option value="-1">mix of all</option>`
    + Array.from({ length: n }, (_, i) => `<option value="${i}">channel ${i + 1}</option>`).join("");
  if (typeof selected === "number" && selected < n) { $("audioChannel").value = String(selected); }
}

function meter(s) {
  const a = s.audio;
  if (!a) { return; }
  const pct = (db) => Math.max(0, Math.min(100, (db + 60) / 60 * 100));
  $("meterRms").style.width = `${pct(a.rms_db)}%`;
  $("meterPeak").style.left = `${pct(a.peak_db)}%`;
  const text = `${a.source}${a.device ? " " + a.device : ""}${a.channel >= 0 ? " ch " + (a.channel + 1) : ""} · `
    + `${a.rms_db <= -100 ? "silence" : a.rms_db.toFixed(0) + " dBFS"} (peak ${a.peak_db <= -100 ? "–" : a.peak_db.toFixed(0)})`;
  if ($("audioLevel").textContent !== text) { $("audioLevel").textContent = text; }
}
