// Keeps a copy of the answer being typed in this browser until the server has saved it, so an
// expired session, a lost connection or a closed tab never loses the user's text.
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form || !window.localStorage) { return; }
  var key = "spbe-draft-" + form.dataset.draftKey;
  var text = form.querySelector("textarea[name=explanation]");
  var level = form.querySelector("[name=value]");
  var banner = document.getElementById("draft-restore");

  function current() { return { explanation: text ? text.value : "", value: level ? level.value : "" }; }
  function remember() { localStorage.setItem(key, JSON.stringify(current())); }

  var stored = null;
  try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
  if (stored && (stored.explanation !== current().explanation || stored.value !== current().value)) {
    banner.classList.remove("d-none");
    document.getElementById("draft-restore-button").addEventListener("click", function () {
      if (text) { text.value = stored.explanation; }
      if (level) { level.value = stored.value; }
      banner.classList.add("d-none");
      form.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
  form.addEventListener("input", remember);
  form.addEventListener("change", remember);
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.querySelector("[data-saved]")) { localStorage.removeItem(key); }
  });
  form.addEventListener("submit", remember);
})();
