// Starts Scalar's API reference on /docs with everything served by this origin: no web fonts
// from Scalar's CDN, and no "send request" proxy.
Scalar.createApiReference('#app', {
  url: '/openapi.json',
  withDefaultFonts: false,
  hideClientButton: true,
  telemetry: false,
});
