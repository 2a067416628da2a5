// Shows the expected error and the cost of the request as the form changes, from the hub's own
// estimate (the release service's figures for a request that is not filed).
(function () {
  "use strict";
  var form = document.getElementById("request-form");
  var out = document.getElementById("estimate");
  if (!form || !out) return;
  var pending;

  function update() {
    var params = new URLSearchParams();
    form.querySelectorAll("input[name=dimension]:checked").forEach(function (box) { params.append("dimension", box.value); });
    ["first", "last", "epsilon"].forEach(function (name) { params.set(name, form.elements[name].value); });
    if (!params.getAll("dimension").length) {
      out.textContent = "Choose dimensions to see the expected error of every cell.";
      return;
    }
    fetch("/researcher/requests/estimate?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        if (body.error) { out.textContent = body.error; return; }
        var short = body.cost.filter(function (c) { return !c.affordable; }).map(function (c) { return c.cohort; });
        out.textContent = body.cells.toLocaleString() + " cells; every cell ± " + body.expected_error["95"].toFixed(1) +
          " persons at 95 % (± " + body.expected_error["90"].toFixed(1) + " at 90 %, ± " +
          body.expected_error["99"].toFixed(1) + " at 99 %); cost ε = " + body.epsilon + " at δ = " + body.delta +
          " from each of " + body.cost.length + " months" +
          (short.length ? "; not enough budget left in " + short.join(", ") : "") + ".";
      });
  }

  form.addEventListener("input", function () { clearTimeout(pending); pending = setTimeout(update, 250); });
  update();
})();
