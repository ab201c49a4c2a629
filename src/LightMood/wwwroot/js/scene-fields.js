// The scene editor's fields: each a path in the scenes-file look format, its range as the daemon checks it.
"use strict";

export const PATTERNS = ["none", "circle", "figure8", "sweep", "wave"];

export const FIELDS = [
  { path: "intensity", label: "intensity", min: 0, max: 1, step: 0.01 },
  { path: "fadeSeconds", label: "fade in (s)", min: 0, max: 600, step: 0.1, kind: "number", optional: true },
  { path: "pulseDepth", label: "beat pulse", min: 0, max: 1, step: 0.01 },
  { path: "chaseStepsPerBeat", label: "chase steps per beat", min: 0, max: 16, step: 0.25 },
  { path: "uv", label: "UV", min: 0, max: 1, step: 0.01 },
  { path: "movement.pattern", label: "movement", kind: "select" },
  { path: "movement.speedHz", label: "speed (Hz, no beat)", min: 0, max: 5, step: 0.01 },
  { path: "movement.beatsPerCycle", label: "beats per cycle (0 = free)", min: 0, max: 256, step: 1, kind: "number" },
  { path: "movement.panRange", label: "size: pan", min: 0, max: 0.5, step: 0.01 },
  { path: "movement.tiltRange", label: "size: tilt", min: 0, max: 0.5, step: 0.01 },
  { path: "movement.pan", label: "centre pan", min: 0, max: 1, step: 0.01 },
  { path: "movement.tilt", label: "centre tilt", min: 0, max: 1, step: 0.01 },
  { path: "movement.spread", label: "spread", min: 0, max: 1, step: 0.01 },
  { path: "strobe.allowed", label: "strobe allowed", kind: "checkbox" },
  { path: "strobe.maxRateHz", label: "strobe max (Hz)", min: 0, max: 25, step: 0.5 },
  { path: "strobe.arousalAbove", label: "strobe above arousal", min: -1, max: 1, step: 0.05 },
];

export function get(o, path) {
  return path.split(".").reduce((x, k) => (x == null ? undefined : x[k]), o);
}

export function set(o, path, value) {
  const keys = path.split(".");
  let x = o;
  for (const k of keys.slice(0, -1)) { x = x[k] = x[k] || {}; }
  if (value === undefined) { delete x[keys[keys.length - 1]]; } else { x[keys[keys.length - 1]] = value; }
}
