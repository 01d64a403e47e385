/* Start Swagger UI on /api/v1/docs (templates/swagger_ui.html) from the data-* of its container:
 * data-spec-url (the OpenAPI description) and data-config (OPENAPI_SWAGGER_UI_CONFIG as JSON). */
(function () {
  "use strict";

  var container = document.getElementById("swagger-ui-container");
  if (!container || typeof window.SwaggerUIBundle === "undefined") {
    return;
  }
  var config = { url: container.getAttribute("data-spec-url"), dom_id: "#swagger-ui-container" };
  var extra = JSON.parse(container.getAttribute("data-config") || "{}");
  Object.keys(extra).forEach(function (name) {
    config[name] = extra[name];
  });
  window.ui = window.SwaggerUIBundle(config);
})();
