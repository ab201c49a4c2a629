// The scene editor: the show preset (switched live, crossfading) and a form for the look the active preset maps a mood
// to (colours per group, intensity, movement, beat response, strobe, fade),
// the section variation of the soft cut (palette step, chase speeds in turn, variation fade), a preview in the page
// (the look and its next sections) and, on request, on the rig; save (atomic, on the daemon) and undo; the JSON as an
// advanced view. The daemon's 400s name each field's path; the message appears next to that field.
"use strict";
import { $, api, ApiError, latestOnly, say, esc } from "./api.js";
import { latest, onState } from "./live.js";
import { FIELDS, PATTERNS, SECTION_FIELDS, get, parseList, sectionLook, set } from "./scene-fields.js";

const KEEP_PREVIEW_MS = 20000;
let look = null;          // the look as loaded (fields the form does not show are kept)
let groupsKey = "";
let jsonEdited = false;
let formErrors = {};      // what the page itself finds wrong (a chase speed that is not a number): nothing is sent
let raw = null;           // a static channel scene or a chase: edited as JSON only (the form shows a blank look)
let presetBusy = false;   // a preset switch or reload under way: the live state does not move the selector meanwhile

export function initScenes() {
  const box = $("sceneEditor");
  box.innerHTML = `
    <h2 id="sceneTitle" class="label">Scene editor</h2>
    <fieldset class="needs-signin">
      <div class="row">
        <label>show preset <select id="scenePreset" aria-label="show preset"></select></label>
      </div>
      <div class="row">
        <label>look for <select id="sceneMood"><option>happy</option><option>tense</option><option>sad</option><option>calm</option></select></label>
        <span id="sceneName" class="sub"></span>
        <label class="check"><input type="checkbox" id="scenePreview"> preview on the rig</label>
      </div>
      <p id="sceneKind" class="sub" role="status"></p>
      <div id="sceneStrip" class="strip" aria-label="preview of the look"></div>
      <h3 class="label">Colours</h3>
      <div id="palettes"></div>
      <p class="field-error" data-error-for="palette"></p>
      <details id="sceneMore"${window.innerWidth >= 900 ? " open" : ""}><summary>intensity, fade, beat, movement, strobe</summary>
        <div class="scene-grid">${FIELDS.map(fieldHtml).join("")}</div>
      </details>
      <details id="sceneSections"${window.innerWidth >= 900 ? " open" : ""}><summary>section variations (soft cut)</summary>
        <p class="sub">A new section of the music while the mood stays moves the look on: each group's colours by the
          palette step, the chase to the next speed of the list, and an accent (when set) flashes the rig on the
          section's first beat; a new mood starts from the look itself.</p>
        <div class="scene-grid">${SECTION_FIELDS.map(fieldHtml).join("")}</div>
        <div id="sectionStrip" class="strip section-strip" aria-label="preview of the next sections' looks"></div>
      </details>
      <p id="sceneErrors" class="field-error" role="alert"></p>
      <div class="row">
        <button id="sceneSave" type="button" class="primary">save</button>
        <button id="sceneUndo" type="button">undo last save</button>
        <button id="sceneLoad" type="button">reload</button>
      </div>
      <details id="sceneJsonView"><summary>JSON (advanced)</summary>
        <textarea id="sceneJson" rows="14" spellcheck="false" aria-label="scene JSON"></textarea>
        <button id="sceneJsonApply" type="button">use this JSON in the form</button>
      </details>
    </fieldset>`;
  const preview = latestOnly(sendPreview, () => 100);
  box.addEventListener("input", (e) => {
    if (e.target.id === "sceneJson") { jsonEdited = true; return; }
    if (e.target.id === "sceneMood" || e.target.id === "scenePreview") { return; }
    readForm();
    if ($("scenePreview").checked) { preview(); }
  });
  box.addEventListener("change", (e) => { if (e.target.type === "checkbox" && e.target.id !== "scenePreview") { readForm(); } });
  $("sceneMood").addEventListener("change", load);
  $("scenePreset").addEventListener("change", async (e) => {
    presetBusy = true;
    try {
      await api("POST", "/presets/" + encodeURIComponent(e.target.value) + "/activate");
      say("preset " + e.target.value + " active", true);
    } catch (err) { say(err.message, false); }
    await load();
    presetBusy = false;
  });
  $("sceneLoad").addEventListener("click", load);
  $("scenePreview").addEventListener("change", async (e) => {
    if (e.target.checked) { await sendPreview(); } else { await endPreview(); }
  });
  setInterval(() => { if ($("scenePreview").checked) { preview(); } }, KEEP_PREVIEW_MS);
  $("sceneSave").addEventListener("click", save);
  $("sceneUndo").addEventListener("click", async () => {
    try {
      await api("POST", "/scenes/undo");
      say("last scene edit undone", true);
      await load();
    } catch (e) { say(e.message, false); }
  });
  $("sceneJsonView").addEventListener("toggle", () => { if ($("sceneJsonView").open) { showJson(); } });
  $("sceneJsonApply").addEventListener("click", () => {
    try {
      fill(JSON.parse($("sceneJson").value));
      jsonEdited = false;
      showErrors({});
    } catch (e) { showErrors({ $: [e.message] }); }
  });
  onState((s) => {
    // a preset switched elsewhere (OSC, another page): the selector and the editor follow
    const preset = s.lights && s.lights.preset;
    if (!presetBusy && preset && $("scenePreset").options.length && preset !== $("scenePreset").value) {
      presetBusy = true;
      load().finally(() => { presetBusy = false; });
    }
    const key = s.groups.map((g) => g.name).join("|");
    if (key !== groupsKey) { groupsKey = key; if (look) { renderPalettes(); } }
  });
  load();
}

function fieldHtml(f) {
  const id = "scene-" + f.path.replaceAll(".", "-");
  const placeholder = f.placeholder ?? (f.optional ? "crossfade" : null);
  const hint = placeholder === null ? "" : ` placeholder="${esc(placeholder)}"`;
  const input = f.kind === "select"
    ? `<select id="${id}" data-field="${f.path}">${PATTERNS.map((p) => `<option>${p}</option>`).join("")}</select>`
    : f.kind === "checkbox" ? `<input id="${id}" type="checkbox" data-field="${f.path}">`
    : f.kind === "number" ? `<input id="${id}" type="number" min="${f.min}" max="${f.max}" step="${f.step}" data-field="${f.path}" inputmode="${f.step === 1 ? "numeric" : "decimal"}"${hint}>`
    : f.kind === "list" ? `<input id="${id}" type="text" data-field="${f.path}" autocomplete="off" spellcheck="false"${hint}>`
    : `<input id="${id}" type="range" min="${f.min}" max="${f.max}" step="${f.step}" data-field="${f.path}"><output for="${id}"></output>`;
  return `<div class="field"><label for="${id}">${esc(f.label)}</label><div class="field-input">${input}</div>`
    + `<p class="field-error" data-error-for="${f.path}"></p></div>`;
}

/** The presets into the selector, the active one chosen; the name of the scene the mood shows next to the mood. */
async function loadPresets() {
  const list = await (await api("GET", "/presets")).json();
  $("scenePreset").innerHTML = list.presets.map((p) => `<option${p === list.active ? " selected" : ""}>${esc(p)}</option>`).join("");
  const mapping = await (await api("GET", "/presets/" + encodeURIComponent(list.active))).json();
  $("sceneName").textContent = "scene: " + mapping.moods[$("sceneMood").value].scenes[0];
}

async function load() {
  try {
    await loadPresets();
    const res = await api("GET", "/scenes/" + $("sceneMood").value);
    fill(await res.json());
    jsonEdited = false;
    showErrors({});
  } catch (e) { say(e.message, false); }
}

/** Puts a look into the form. */
function fill(l) {
  raw = l.channels || l.chase ? l : null;
  $("sceneKind").textContent = raw
    ? `This scene is ${l.channels ? "a static channel scene (raw DMX values)" : "a chase through other scenes"}: edit it in the JSON view below.`
    : "";
  look = raw ? { palette: {} } : l;
  look.palette = look.palette || {};
  for (const f of FIELDS) {
    const el = document.querySelector(`#sceneEditor [data-field="${f.path}"]`);
    const v = get(look, f.path);
    if (f.kind === "checkbox") { el.checked = !!v; } else { el.value = v ?? (f.optional ? "" : f.min); }
    showValue(el);
  }
  fillSections();
  renderPalettes();
  if ($("sceneJsonView").open) { showJson(); }
}

const sectionInput = (path) => document.querySelector(`#sceneEditor [data-field="${path}"]`);

/** The look's section variation into its fields; none is a palette step of 0 and no chase list. */
function fillSections() {
  const v = look.sections;
  sectionInput("sections.paletteStep").value = v ? (v.paletteStep ?? 1) : 0;
  sectionInput("sections.chases").value = ((v && v.chases) || []).join(", ");
  sectionInput("sections.fadeSeconds").value = (v && v.fadeSeconds) ?? "";
  sectionInput("sections.accent.intensity").value = (v && v.accent) ? (v.accent.intensity ?? 1) : "";
  sectionInput("sections.accent.seconds").value = (v && v.accent) ? (v.accent.seconds ?? 0.3) : "";
  formErrors = {};
}

/** The section fields into the look: left out when they vary nothing, as the daemon reads a missing "sections". */
function readSections() {
  const stepText = sectionInput("sections.paletteStep").value;
  const list = parseList(sectionInput("sections.chases").value);
  const fadeText = sectionInput("sections.fadeSeconds").value;
  const accentText = sectionInput("sections.accent.intensity").value;
  const accentSecondsText = sectionInput("sections.accent.seconds").value;
  const step = stepText === "" ? 0 : Number(stepText);
  formErrors = {};
  if (!Number.isInteger(step)) { formErrors["sections.paletteStep"] = [`${stepText} is not a whole number of colours`]; }
  if (list.error) { formErrors["sections.chases"] = [list.error]; }
  const sections = { paletteStep: Number.isInteger(step) ? step : (look.sections?.paletteStep ?? 0) };
  const chases = list.error ? look.sections?.chases : list.values;
  if (chases && chases.length) { sections.chases = chases; }
  if (fadeText !== "") { sections.fadeSeconds = Number(fadeText); }
  if (accentText !== "") {
    sections.accent = { intensity: Number(accentText) };
    if (accentSecondsText !== "") { sections.accent.seconds = Number(accentSecondsText); }
  }
  if (sections.paletteStep === 0 && !sections.chases && sections.fadeSeconds === undefined && !sections.accent) { delete look.sections; } else { look.sections = sections; }
  // the page's own findings show as typed; the daemon's stay until the next save or preview answers
  for (const path of ["sections.paletteStep", "sections.chases"]) {
    const slot = document.querySelector(`#sceneEditor [data-error-for="${path}"]`);
    if (formErrors[path]) {
      slot.textContent = formErrors[path].join("; ");
      sectionInput(path).setAttribute("aria-invalid", "true");
    } else if (slot.dataset.client) {
      slot.textContent = "";
      sectionInput(path).removeAttribute("aria-invalid");
    }
    slot.dataset.client = formErrors[path] ? "1" : "";
  }
}

/** Reads the form into the look. */
function readForm() {
  if (!look) { return; }
  for (const f of FIELDS) {
    const el = document.querySelector(`#sceneEditor [data-field="${f.path}"]`);
    const v = f.kind === "checkbox" ? el.checked : f.kind === "select" ? el.value
      : el.value === "" && f.optional ? undefined : Number(el.value);
    set(look, f.path, v);
    showValue(el);
  }
  const palette = {};
  document.querySelectorAll("#palettes [data-palette]").forEach((row) => {
    const colours = [...row.querySelectorAll("input[type=color]")].map((c) => c.value);
    if (colours.length) { palette[row.dataset.palette] = colours; }
  });
  look.palette = palette;
  readSections();
  drawStrip();
}

function showValue(el) {
  const out = el.parentElement.querySelector("output");
  if (out) { out.textContent = el.value; }
}

/** A row of colour pickers for "all groups" (*) and one for each group of the patch. */
function renderPalettes() {
  const groups = ["*", ...((latest && latest.groups.map((g) => g.name)) || []), ...Object.keys(look.palette)];
  const rows = [...new Set(groups)];
  $("palettes").innerHTML = rows.map((g) => {
    const colours = look.palette[g] || [];
    const name = g === "*" ? "all groups" : g;
    return `<div class="palette-row" data-palette="${esc(g)}"><span class="group-name">${esc(name)}</span>`
      + colours.map((c, i) => `<span class="colour"><input type="color" value="${esc(c)}" data-index="${i}" aria-label="${esc(name)} colour ${i + 1}">`
        + `<button type="button" class="remove" data-index="${i}" aria-label="remove ${esc(name)} colour ${i + 1}">×</button></span>`).join("")
      + `<button type="button" class="add" aria-label="add a colour to ${esc(name)}">+</button>`
      + (colours.length === 0 ? `<span class="sub">${g === "*" ? "white" : "uses all groups' colours"}</span>` : "")
      + `<p class="field-error" data-error-for="palette.${esc(g)}"></p></div>`;
  }).join("");
  $("palettes").querySelectorAll(".palette-row").forEach((row) => {
    row.querySelector(".add").addEventListener("click", () => {
      const list = look.palette[row.dataset.palette] = look.palette[row.dataset.palette] || [];
      list.push(list[list.length - 1] || "#ffffff");
      renderPalettes();
      readForm();
    });
    row.querySelectorAll(".remove").forEach((b) => b.addEventListener("click", () => {
      look.palette[row.dataset.palette].splice(Number(b.dataset.index), 1);
      renderPalettes();
      readForm();
    }));
  });
  drawStrip();
}

/** The look in the page: each group's colours at the look's intensity (dim looks drawn no darker than a quarter). */
function drawStrip() {
  const level = Math.max(0.25, Number(look.intensity ?? 1));
  $("sceneStrip").innerHTML = Object.entries(look.palette).map(([g, cs]) =>
    `<div class="strip-group"><span>${esc(g === "*" ? "all" : g)}</span>`
    + cs.map((c) => `<i style="background:${esc(c)};filter:brightness(${level})" title="${esc(c)}"></i>`).join("") + "</div>").join("");
  drawSections(level);
}

/** The next three sections of one mood as the daemon will show them: colours in order and chase speed. */
function drawSections(level) {
  const v = look.sections;
  if (!v || ((v.paletteStep ?? 1) === 0 && !(v.chases && v.chases.length))) {
    $("sectionStrip").innerHTML = `<span class="sub">every section shows the look itself</span>`;
    return;
  }
  $("sectionStrip").innerHTML = [1, 2, 3].map((n) => {
    const s = sectionLook(look, n);
    return `<div class="strip-group" data-section="${n + 1}"><span>section ${n + 1}</span>`
      + Object.values(s.palette).map((cs) => cs.map((c) => `<i style="background:${esc(c)};filter:brightness(${level})" title="${esc(c)}"></i>`).join("")).join('<b class="gap"></b>')
      + `<span class="chase">chase ${esc(s.chase)}/beat</span></div>`;
  }).join("");
}

function showJson() { $("sceneJson").value = JSON.stringify(raw ?? look, null, 2); jsonEdited = false; }

/** The body to send: the JSON view as typed when it was edited, otherwise the form. */
function body() { return $("sceneJsonView").open && jsonEdited ? $("sceneJson").value : JSON.stringify(raw ?? look); }

/** True, after showing them, when the form has fields the page itself finds wrong (the JSON view, when used, is sent as typed). */
function formIsWrong() {
  if (Object.keys(formErrors).length === 0 || ($("sceneJsonView").open && jsonEdited)) { return false; }
  showErrors(formErrors);
  return true;
}

async function save() {
  readForm();
  const mood = $("sceneMood").value;
  if (formIsWrong()) { say(`scene ${mood} not saved: fix the marked field`, false); return; }
  try {
    await api("PUT", "/scenes/" + mood, body());
    showErrors({});
    say(`scene ${mood} saved`, true);
    if ($("scenePreview").checked) { $("scenePreview").checked = false; await endPreview(); }
  } catch (e) {
    showErrors(e instanceof ApiError ? e.errors : { $: [e.message] });
    say(e.message, false);
  }
}

async function sendPreview() {
  if (formIsWrong()) { return; }
  try {
    await api("POST", "/scenes/preview", body());
    showErrors({});
  } catch (e) { showErrors(e instanceof ApiError ? e.errors : { $: [e.message] }); }
}

async function endPreview() {
  try { await api("DELETE", "/scenes/preview"); } catch (e) { say(e.message, false); }
}

/** Each error next to its field: "movement.speedHz", "palette.pars[1]" (its row), else under the form. */
function showErrors(errors) {
  document.querySelectorAll("#sceneEditor [data-error-for]").forEach((p) => { p.textContent = ""; });
  document.querySelectorAll("#sceneEditor [aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  const rest = [];
  for (const [path, messages] of Object.entries(errors)) {
    const key = path.replace(/\[\d+\]$/, "");
    const slot = document.querySelector(`#sceneEditor [data-error-for="${CSS.escape(key)}"]`);
    if (slot) {
      slot.textContent = messages.join("; ");
      const section = slot.closest("details");
      if (section) { section.open = true; }
      const input = document.querySelector(`#sceneEditor [data-field="${CSS.escape(key)}"]`);
      if (input) { input.setAttribute("aria-invalid", "true"); }
    } else {
      rest.push(...messages.map((m) => (path === "$" ? m : `${path}: ${m}`)));
    }
  }
  $("sceneErrors").textContent = rest.join("; ");
}
