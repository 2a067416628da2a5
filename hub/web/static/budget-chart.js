// The steward's budget chart (Observable Plot, served by the hub): the share of each month's
// budgets used, one row per month, one bar per purpose. The numbers are the page's own.
(function () {
  "use strict";
  var holder = document.getElementById("chart");
  var data = document.getElementById("budget-data");
  if (!holder || !data || typeof Plot === "undefined") return;
  var lines = JSON.parse(data.textContent);
  var chart = Plot.plot({
    width: Math.max(holder.clientWidth || 640, 300),
    marginLeft: 70,
    x: { label: "share used", domain: [0, 1], percent: true, grid: true },
    y: { label: null },
    fy: { label: null },
    color: { legend: true, domain: ["reports", "research"], range: ["#2f5f96", "#b35c00"] },
    marks: [
      Plot.barX(lines, { x: "used", y: "purpose", fy: "cohort", fill: "purpose", title: function (line) {
        return line.cohort + " " + line.purpose + ": ε " + line.spent + " of " + line.total + " spent";
      } }),
      Plot.ruleX([0])
    ]
  });
  chart.setAttribute("aria-hidden", "true");
  holder.replaceChildren(chart);
})();
