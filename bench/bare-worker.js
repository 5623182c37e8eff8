// The baseline for `npm run bench`: the thinnest Worker that does what the gateway's HTTP_PROXY
// route does (forward to the upstream), served by Miniflare exactly like the gateway.
// `UPSTREAM_PORT` is a text binding set by bench/run.mjs. `/__const` answers by itself: the
// baseline for the gateway's MOCK route (a Worker that never leaves the isolate).
const CONST_BODY = '{"ok":true}'

export default {
  fetch(req, env) {
    const path = new URL(req.url).pathname
    if (path === '/__const') {
      return new Response(CONST_BODY, { headers: { 'content-type': 'application/json' } })
    }
    return fetch('http://127.0.0.1:' + env.UPSTREAM_PORT + path)
  },
}
