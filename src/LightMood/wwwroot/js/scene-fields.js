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

// The section variation of the soft cut (scenes-file "sections"): how the mood's look varies at each new section of
// the music while the mood stays. Ranges as the daemon checks them; an empty fade is the look's own; an empty accent
// intensity is no accent.
export const SECTION_FIELDS = [
  { path: "sections.paletteStep", label: "palette step per section", min: 0, max: 16, step: 1, kind: "number", placeholder: "0" },
  { path: "sections.chases", label: "chase speeds in turn (steps per beat, comma-separated)", kind: "list", placeholder: "the look's own, e.g. 2, 0.5, 1" },
  { path: "sections.fadeSeconds", label: "fade into a variation (s)", min: 0, max: 600, step: 0.1, kind: "number", optional: true, placeholder: "the look's fade" },
  { path: "sections.accent.intensity", label: "accent on the section's first beat: intensity", min: 0, max: 1, step: 0.05, kind: "number", optional: true, placeholder: "no accent" },
  { path: "sections.accent.seconds", label: "accent length (s)", min: 0.02, max: 5, step: 0.05, kind: "number", optional: true, placeholder: "0.3" },
];

/** "2, 0.5 1" as [2, 0.5, 1]; a word that is not a number is named in the error (nothing is guessed). */
export function parseList(text) {
  const words = text.split(/[\s,;]+/).filter((w) => w !== "");
  const bad = words.filter((w) => !Number.isFinite(Number(w)));
  return bad.length ? { error: `not a number: ${bad.map((w) => `'${w}'`).join(", ")}` } : { values: words.map(Number) };
}

/**
 * The look of the n-th section (0: the look itself) of a run of one mood, as the daemon's SectionVariation.Apply
 * makes it: every group's palette moved on n × paletteStep colours, the chase speed chases[(n − 1) mod count].
 */
export function sectionLook(look, n) {
  const v = look.sections;
  const step = v ? (v.paletteStep ?? 1) : 0;
  const chases = (v && v.chases) || [];
  if (n === 0 || (step === 0 && chases.length === 0)) { return { palette: look.palette, chase: look.chaseStepsPerBeat ?? 0 }; }
  const palette = {};
  for (const [group, colours] of Object.entries(look.palette)) {
    const shift = colours.length ? (n * step) % colours.length : 0;
    palette[group] = [...colours.slice(shift), ...colours.slice(0, shift)];
  }
  return { palette, chase: chases.length ? chases[(n - 1) % chases.length] : (look.chaseStepsPerBeat ?? 0) };
}
