// The API reference: the pinned Swagger UI (static/vendor/swagger-ui/) reading /openapi.json. A file of its own, not
// an inline script, because the app's Content-Security-Policy allows scripts from this server only.
"use strict";

window.ui = window.SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  tryItOutEnabled: true,
  displayRequestDuration: true,
  filter: true,
  showCommonExtensions: true, // limits (minimum, maxLength, pattern, ...) next to each parameter
  defaultModelExpandDepth: 2,
  defaultModelsExpandDepth: 0,
  validatorUrl: null, // never ask validator.swagger.io: the page talks to this server only
  persistAuthorization: false, // a token stays in this tab's memory, never in localStorage
  requestSnippetsEnabled: true, // each try shows the same call as curl
});
