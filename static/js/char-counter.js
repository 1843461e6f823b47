/* A live character count under every textarea with data-max-chars, so the user learns the limit
 * before the server refuses a save. It never cuts the text: the limit is enforced by the server,
 * which keeps what was typed on the page. Texts come from data attributes (translated server-side).
 */
(function () {
  "use strict";

  function attach(area) {
    if (area.dataset.counterReady) return;
    area.dataset.counterReady = "1";
    var max = parseInt(area.dataset.maxChars, 10);
    var out = document.createElement("div");
    out.className = "form-text";
    out.id = (area.id || "textarea") + "-counter";
    out.setAttribute("aria-live", "polite");
    out.setAttribute("data-testid", "char-counter");
    area.insertAdjacentElement("afterend", out);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + out.id);
    var grouping = new Intl.NumberFormat(document.documentElement.lang || "id");

    function update() {
      var n = area.value.length;
      var text = (area.dataset.counterText || "%(n)s / %(max)s")
        .replace("%(n)s", grouping.format(n))
        .replace("%(max)s", grouping.format(max));
      if (n > max) text += " " + (area.dataset.counterOver || "");
      out.textContent = text;
      out.classList.toggle("text-danger", n > max);
      out.classList.toggle("fw-semibold", n > max * 0.9);
    }

    area.addEventListener("input", update);
    update();
  }

  function start() {
    document.querySelectorAll("textarea[data-max-chars]").forEach(attach);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  document.addEventListener("htmx:afterSettle", start);
})();
