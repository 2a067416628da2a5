// Draws the report's chart with Observable Plot (served by the hub, see vendor/): horizontal bars
// of the largest cells with their 95 % intervals as error bars. The numbers are the page's own
// (the JSON block beside the chart); the table below the chart has every cell.
(function () {
  "use strict";
  var holder = document.getElementById("chart");
  var data = document.getElementById("chart-data");
  if (!holder || !data || typeof Plot === "undefined") return;
  var bars = JSON.parse(data.textContent);

  function draw() {
    var width = Math.max(holder.clientWidth || 640, 300);
    var longest = bars.reduce(function (n, bar) { return Math.max(n, bar.label.length); }, 0);
    var chart = Plot.plot({
      width: width,
      height: 22 * bars.length + 50,
      marginLeft: Math.min(7 * longest + 12, Math.round(width * 0.45)),
      marginRight: 16,
      style: { fontSize: "12px" },
      x: { label: "persons, with 95 % interval", grid: true, nice: true },
      y: { label: null, domain: bars.map(function (bar) { return bar.label; }), tickFormat: function (label) {
        var room = Math.floor(width * 0.45 / 7);
        return label.length > room ? label.slice(0, room - 1) + "…" : label;
      } },
      marks: [
        Plot.barX(bars, { x: "value", y: "label", fill: "#2f5f96", title: function (bar) {
          return bar.label + ": " + bar.value.toLocaleString() + " (95 % interval " + bar.low.toLocaleString() +
            " – " + bar.high.toLocaleString() + ")";
        } }),
        // A white halo under each error bar, so that it reads over the dark bar as over the white.
        Plot.ruleY(bars, { x1: "low", x2: "high", y: "label", stroke: "#fff", strokeWidth: 4 }),
        Plot.tickX(bars, { x: "low", y: "label", stroke: "#fff", strokeWidth: 4, inset: 4 }),
        Plot.tickX(bars, { x: "high", y: "label", stroke: "#fff", strokeWidth: 4, inset: 4 }),
        Plot.ruleY(bars, { x1: "low", x2: "high", y: "label", stroke: "#111", strokeWidth: 1.5 }),
        Plot.tickX(bars, { x: "low", y: "label", stroke: "#111", strokeWidth: 1.5, inset: 5 }),
        Plot.tickX(bars, { x: "high", y: "label", stroke: "#111", strokeWidth: 1.5, inset: 5 }),
        Plot.ruleX([0])
      ]
    });
    chart.setAttribute("aria-hidden", "true"); // the figure's own label and the table speak for it
    holder.replaceChildren(chart);
  }

  draw();
  var pending;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(draw, 200);
  });
})();
