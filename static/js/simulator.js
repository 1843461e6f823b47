/* What-if simulator: recomputes the index, domain and aspect indices and predikat in the browser.
 *
 * Exact integer arithmetic (BigInt), the same algorithm as scoring/simulator.py `compute` and the
 * engine: index = sum(level x weight) / sum(weight), rounded half-up once to `places` decimals.
 * The data comes from a <script type="application/json" id="simulator-data"> block.
 */
(function () {
  "use strict";

  function roundUnits(n, d, places) {
    const scale = 10n ** BigInt(places);
    return (2n * n * scale + d) / (2n * d);
  }

  function display(units, places) {
    let text = units.toString();
    if (!places) return text;
    while (text.length < places + 1) text = "0" + text;
    return text.slice(0, -places) + "," + text.slice(-places);
  }

  function bandFor(bands, n, d) {
    for (const band of bands) {
      const lower = n * BigInt(band.lower[1]) - BigInt(band.lower[0]) * d;
      const upper = n * BigInt(band.upper[1]) - BigInt(band.upper[0]) * d;
      const above = band.li ? lower >= 0n : lower > 0n;
      const below = band.ui ? upper <= 0n : upper < 0n;
      if (above && below) return band.name;
    }
    return null;
  }

  function compute(data, levels) {
    const sums = {};
    const weights = {};
    let total = 0n;
    let totalWeight = 0n;
    for (const indicator of data.indicators) {
      const value = levels[indicator.key];
      if (value === undefined || value === null || value === "") continue;
      const v = BigInt(value);
      const w = BigInt(indicator.w);
      total += v * w;
      totalWeight += w;
      for (const code of indicator.groups) {
        sums[code] = (sums[code] || 0n) + v * w;
        weights[code] = (weights[code] || 0n) + w;
      }
    }
    function make(weighted, weight) {
      const d = weight * BigInt(data.scale);
      const rounded = roundUnits(weighted, d, data.places);
      const predicate =
        data.basis === "rounded"
          ? bandFor(data.bands, rounded, 10n ** BigInt(data.places))
          : bandFor(data.bands, weighted, d);
      return { display: display(rounded, data.places), predicate: predicate };
    }
    const groups = {};
    for (const code of Object.keys(sums)) {
      if (weights[code] > 0n) groups[code] = make(sums[code], weights[code]);
    }
    return { index: totalWeight > 0n ? make(total, totalWeight) : null, groups: groups };
  }

  // One level up, as scoring.engine.Framework.next_step: the next whole value, or with level
  // value bands (decimal values, Pemdi) the lower edge of the next band; capped at the maximum.
  function raiseLevels(data, levels, keys) {
    const raised = Object.assign({}, levels);
    const scale = data.scale;
    const edges = {};
    for (const indicator of data.indicators) edges[indicator.key] = indicator.edges || [];
    for (const key of keys) {
      const value = raised[key];
      if (value === undefined || value === null || value >= data.max) continue;
      const next = (edges[key] || []).find(function (edge) { return edge > value; });
      const whole = (Math.floor(value / scale) + 1) * scale;
      const after = (edges[key] || []).length ? (next === undefined ? data.max : next) : whole;
      raised[key] = Math.min(after, data.max);
    }
    return raised;
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { compute: compute, raiseLevels: raiseLevels };
  }
  if (typeof document === "undefined") return;

  function start() {
    const source = document.getElementById("simulator-data");
    if (!source) return;
    const data = JSON.parse(source.textContent);
    const selects = Array.from(document.querySelectorAll("select[data-key]"));

    function read() {
      const levels = {};
      for (const select of selects) {
        if (select.value !== "") levels[select.dataset.key] = parseInt(select.value, 10);
      }
      return levels;
    }

    function show(name, score) {
      for (const el of document.querySelectorAll('[data-out="' + name + '"]')) {
        el.textContent = score ? score.display : "–";
      }
      for (const el of document.querySelectorAll('[data-out="' + name + '-predicate"]')) {
        el.textContent = score && score.predicate ? score.predicate : "";
      }
    }

    function update() {
      const result = compute(data, read());
      show("index", result.index);
      for (const group of data.groups) show("group-" + group.code, result.groups[group.code]);
      for (const select of selects) {
        const now = data.current[select.dataset.key];
        const changed = select.value !== (now === undefined ? "" : String(now));
        select.closest("tr").classList.toggle("table-warning", changed);
      }
    }

    const steps = new URLSearchParams(window.location.search).get("naik");
    if (steps) {
      const raised = raiseLevels(data, read(), steps.split(",").filter(Boolean));
      for (const select of selects) {
        const value = raised[select.dataset.key];
        if (value !== undefined) select.value = String(value);
      }
    }
    for (const select of selects) select.addEventListener("change", update);
    const reset = document.getElementById("simulator-reset");
    if (reset) {
      reset.addEventListener("click", function () {
        for (const select of selects) {
          const now = data.current[select.dataset.key];
          select.value = now === undefined ? "" : String(now);
        }
        update();
      });
    }
    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
