/**
 * CORS (issue 4; AWS HTTP API `corsConfiguration`, REST `x-amazon-apigateway-cors`). Preflights
 * never reach a route: `answerPreflight` runs in the data plane before route matching. For
 * actual requests this policy, first in the pipeline, puts the CORS headers in
 * `ctx.responseHeaders` before anything else runs, so gateway errors raised further in (401, 403,
 * 429, 500) carry them too; the response cache sits inside it, so a cached response gets the
 * headers of the request it is served to. AWS: with CORS configured, the integration's own
 * `Access-Control-*` headers are ignored (removed here).
 */
import type { ApiConfig } from '../../config/types'
import type { Policy } from '../../pipeline/types'
import {
  actualRequestHeaders,
  allowOriginFor,
  isPreflight,
  preflightHeaders,
  VARY_ORIGIN,
} from './cors-headers'
import { corsStateOf, type CorsState } from './cors-state'
import { mergeVary } from './vary'

const CORS_PREFIX = 'access-control-'

/** Removes the integration's `Access-Control-*` headers, copying only when some are present. */
function withoutUpstreamCors(response: Response): Response {
  const names = [...response.headers.keys()].filter((name) => name.startsWith(CORS_PREFIX))
  if (names.length === 0) return response
  let out = response
  try {
    for (const name of names) out.headers.delete(name)
  } catch {
    // A fetched Response's headers are immutable: the first delete throws, nothing changed.
    out = new Response(response.body, response)
    for (const name of names) out.headers.delete(name)
  }
  return out
}

/** Adds the actual-request CORS headers (and `Vary: Origin`) for `request` to `into`. */
function addActualRequestHeaders(state: CorsState, request: Request, into: Headers): void {
  mergeVary(into, VARY_ORIGIN)
  const allowOrigin = allowOriginFor(state, request.headers.get('origin'))
  if (allowOrigin === undefined) return
  for (const [name, value] of actualRequestHeaders(state, allowOrigin)) into.set(name, value)
}

/**
 * AWS: with CORS configured the gateway answers every preflight itself, even when no OPTIONS
 * route exists — and OPTIONS routes are not invoked for preflights. `undefined`: not a
 * preflight, or no CORS on this API. A refused preflight is still a 204, without allow headers.
 */
export function answerPreflight(
  api: ApiConfig,
  request: Request,
  requestId: string
): Response | undefined {
  const state = corsStateOf(api)
  if (state === undefined || !isPreflight(request)) return undefined
  const headers = preflightHeaders(state, request.headers)
  headers.set(api.protocolType === 'HTTP' ? 'apigw-requestid' : 'x-amzn-RequestId', requestId)
  return new Response(null, { status: 204, headers })
}

/** CORS headers for an error raised before a route matched (unknown route), if CORS is on. */
export function corsHeadersWithoutRoute(api: ApiConfig, request: Request): Headers | undefined {
  const state = corsStateOf(api)
  if (state === undefined) return undefined
  const headers = new Headers()
  addActualRequestHeaders(state, request, headers)
  return headers
}

export const corsPolicy: Policy = {
  name: 'cors',
  build({ api }) {
    const state = corsStateOf(api)
    if (state === undefined) return undefined
    return async (ctx, next) => {
      addActualRequestHeaders(state, ctx.request, ctx.responseHeaders)
      return withoutUpstreamCors(await next())
    }
  },
}
