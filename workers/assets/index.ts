/**
 * The static files (the console's build and the /docs viewer in dist/assets), in a worker of their
 * own that only the gateway calls, through its `ASSETS` service binding. The gateway adds the page
 * headers. Files are served by the Static Assets router before this code runs; a path with no file
 * reaches it and gets the binding's own 404.
 *
 * Why not assets on the gateway itself: a worker with static assets has the assets router in front
 * of every request, including every webhook, and locally that router runs on workerd's one thread
 * (BENCHMARKS.md, intake). Here only console and docs requests pass through it.
 */
export default {
  fetch: (request, env) => env.ASSETS.fetch(request),
} satisfies ExportedHandler<Cloudflare.AssetsEnv>;
