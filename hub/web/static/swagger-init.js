// Starts Swagger UI (the hub's own copy) on /docs. No inline script, so a strict
// Content-Security-Policy (script-src 'self') lets it run; no validator badge, which would
// send the API description to a third party.
(function () {
  "use strict";
  var holder = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: holder.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    oauth2RedirectUrl: new URL(holder.dataset.oauth2RedirectUrl, window.location.href).href,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
