// Sign-in: the token is sent once; the daemon answers with an HttpOnly cookie and a CSRF token for this page.
"use strict";
import { $, api, onSession, setSession, ApiError } from "./api.js";

export async function initSession() {
  onSession((s) => {
    const locked = s.required && !s.signedIn;
    $("signin").classList.toggle("hidden", !locked);
    $("signout").classList.toggle("hidden", !(s.required && s.signedIn));
    document.querySelectorAll("fieldset.needs-signin, .needs-signin-button").forEach((f) => { f.disabled = locked; });
    document.body.classList.toggle("locked", locked);
  });
  $("signinForm").addEventListener("submit", async (e) => {
    e.preventDefault();
    $("signinError").textContent = "";
    try {
      const res = await api("POST", "/session", { token: $("token").value });
      setSession(await res.json());
      $("token").value = "";
    } catch (err) {
      $("signinError").textContent = err instanceof ApiError && err.errors.token ? err.errors.token[0] : err.message;
    }
  });
  $("signout").addEventListener("click", async () => {
    try { await api("DELETE", "/session"); } finally { await refresh(); }
  });
  await refresh();
}

async function refresh() {
  try {
    setSession(await (await fetch("/api/session", { credentials: "same-origin" })).json());
  } catch { /* the daemon is away: the live connection says so */ }
}
