// The HTTP API: every change is a same-origin JSON request carrying the session's CSRF token (when signed in).
"use strict";

export const $ = (id) => document.getElementById(id);

const session = { required: false, signedIn: true, csrf: null };
const listeners = new Set();

/** Called with the session ({required, signedIn}) whenever it changes. */
export function onSession(listener) { listeners.add(listener); listener(session); }

export function setSession(s) {
  session.required = !!s.required;
  session.signedIn = !!s.signed_in;
  session.csrf = s.csrf || null;
  listeners.forEach((l) => l(session));
}

/** A refused or failed request: the problem details' detail and, per field, what is wrong (errors). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.errors = problem.errors || {};
  }
}

/**
 * Sends a request to /api. Always JSON: the daemon refuses a form or text request that changes something (a
 * cross-site page could send one). Throws ApiError; a 401 also shows the sign-in.
 */
export async function api(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  if (session.csrf && method !== "GET") { headers["X-CSRF-Token"] = session.csrf; }
  const res = await fetch("/api" + path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : (typeof body === "string" ? body : JSON.stringify(body)),
  });
  if (!res.ok) {
    let problem = {};
    try { problem = await res.json(); } catch { /* not JSON */ }
    if (res.status === 401 && path !== "/session") { setSession({ required: true, signed_in: false }); }
    throw new ApiError(res.status, problem);
  }
  return res;
}

/** Runs an action, reporting success or the daemon's reason in the status line. */
export async function act(action, done) {
  try {
    await action();
    if (done) { say(done, true); }
    return true;
  } catch (e) {
    say(e.message, false);
    return false;
  }
}

export function say(text, ok) {
  const m = $("message");
  m.textContent = text;
  m.className = "message" + (ok ? " ok" : "");
}

/** Calls send(value) with the latest value, at most once per interval() ms and one at a time. */
export function latestOnly(send, interval) {
  let pending, inFlight = false, timer = null, last = -Infinity;
  const pump = async () => {
    timer = null;
    if (inFlight || pending === undefined) { return; }
    const wait = last + interval() - performance.now();
    if (wait > 0) { timer = setTimeout(pump, wait); return; }
    const value = pending;
    pending = undefined;
    inFlight = true;
    last = performance.now();
    try { await send(value); } catch { /* reported by send */ } finally {
      inFlight = false;
      if (pending !== undefined && !timer) { pump(); }
    }
  };
  return (value) => { pending = value; if (!timer) { pump(); } };
}

/** Text for innerHTML. */
export const esc = (x) => String(x).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
