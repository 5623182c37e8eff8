/**
 * The one place integrations call `fetch`: timeout via AbortController, redirects never
 * followed, failures mapped to gateway response types with the cause kept for the log only
 * (SECURITY: no upstream host or error text on the wire), hop-by-hop headers stripped from the
 * response, body streamed through untouched.
 */
import { GatewayError } from '../errors/gateway-error'
import type { RequestContext } from '../pipeline/types'
import { hasHopByHop, isNullBodyStatus, stripHopByHop } from './headers'

/** What an integration sends upstream. */
export interface UpstreamRequest {
  readonly url: string
  readonly method: string
  readonly headers: Headers
  readonly body: ReadableStream | ArrayBuffer | Uint8Array | string | null
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

/**
 * Runs `send` with an abort signal that fires after `timeoutMs`. The timer covers the time to
 * the response head (AWS: the integration timeout ends when the response starts); a streamed
 * body is not cut afterwards. Throws INTEGRATION_TIMEOUT or INTEGRATION_FAILURE.
 */
export async function withTimeout<T>(
  ctx: RequestContext,
  timeoutMs: number,
  send: (signal: AbortSignal) => Promise<T>
): Promise<T> {
  // The platform's timer signal: no per-request JS timer or controller on the hot path.
  const signal = AbortSignal.timeout(timeoutMs)
  const started = Date.now()
  try {
    return await send(signal)
  } catch (error) {
    if (error instanceof GatewayError) throw error
    if (signal.aborted) {
      throw new GatewayError('INTEGRATION_TIMEOUT', {
        reason: `no response within ${String(timeoutMs)} ms`,
      })
    }
    throw new GatewayError('INTEGRATION_FAILURE', {
      reason: `upstream request failed: ${describe(error)}`,
      cause: error,
    })
  } finally {
    ctx.log.integrationLatencyMs = Date.now() - started
  }
}

/** Sends `upstream` with `fetch` and returns the upstream response, cleaned for the client. */
export async function sendUpstream(
  ctx: RequestContext,
  upstream: UpstreamRequest,
  timeoutMs: number
): Promise<Response> {
  // A streamed client body aborts the request signal when it passes the size cap
  // (pipeline/request-limits.ts): the upstream fetch is cancelled rather than completed.
  const bodyLimit = upstream.body instanceof ReadableStream ? ctx.request.signal : undefined
  const response = await withTimeout(ctx, timeoutMs, (signal) =>
    fetch(upstream.url, {
      method: upstream.method,
      headers: upstream.headers,
      body: upstream.body,
      // AWS: redirects go back to the client as they are; following one would let an upstream
      // steer the gateway to any host (SSRF).
      redirect: 'manual',
      signal: bodyLimit === undefined ? signal : AbortSignal.any([signal, bodyLimit]),
    })
  ).catch((error: unknown) => {
    if (bodyLimit?.reason instanceof GatewayError) throw bodyLimit.reason
    throw error
  })
  ctx.log.integrationStatus = response.status
  if (response.status < 200 || response.status > 599) {
    throw new GatewayError('INTEGRATION_FAILURE', {
      reason: `upstream answered status ${String(response.status)}`,
    })
  }
  const noBody = isNullBodyStatus(response.status) || upstream.method === 'HEAD'
  const body = noBody ? null : response.body
  // The common case has nothing to strip: one native copy of the headers, no per-name deletes.
  if (!hasHopByHop(response.headers)) return new Response(body, response)
  const headers = new Headers(response.headers)
  stripHopByHop(headers)
  return new Response(body, { status: response.status, statusText: response.statusText, headers })
}
