// Keeps a copy of the answer being typed in this browser until the server has saved it, so an
// expired session, a lost connection, a refused save or a closed tab never loses the user's text.
(function () {
  "use strict";
  if (!window.localStorage) { return; }
  var form = document.getElementById("answer-form");
  // The text of a save the server refused while the answer is no longer editable here.
  var refused = document.querySelector("#refused-text[data-draft-key]");
  var holder = form || refused;
  if (!holder) { return; }
  var key = "spbe-draft-" + holder.dataset.draftKey;
  if (refused) {
    localStorage.setItem(key, JSON.stringify({ explanation: refused.value, value: refused.dataset.value || "" }));
  }
  if (!form) { return; }
  var text = form.querySelector("textarea[name=explanation]");
  var level = form.querySelector("[name=value]");
  var banner = document.getElementById("draft-restore");

  function current() { return { explanation: text ? text.value : "", value: level ? level.value : "" }; }
  function remember() { localStorage.setItem(key, JSON.stringify(current())); }

  var stored = null;
  try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
  var same = stored && stored.explanation === current().explanation && stored.value === current().value;
  if (form.dataset.confirmed !== "1") {
    remember();  // the form was drawn again after a refused save: this text is not on the server
  } else if (same) {
    localStorage.removeItem(key);  // the server holds exactly this text: the copy is no longer needed
  } else if (stored) {
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
  var sent = null;
  form.addEventListener("htmx:configRequest", function (event) {
    sent = { explanation: event.detail.parameters.explanation || "", value: event.detail.parameters.value || "" };
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (!(event.detail.target && event.detail.target.querySelector("[data-saved]")) || sent === null) { return; }
    // Drop the copy only when the box still holds what the server just saved (typing may go on).
    var now = current();
    if (now.explanation === sent.explanation && now.value === sent.value) { localStorage.removeItem(key); }
  });
  form.addEventListener("submit", remember);
})();
