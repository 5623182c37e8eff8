/**
 * Calls a request authorizer: a Worker service binding (`env[BINDING].fetch`, a JSON POST to the
 * Lambda Invoke path, as WORKER integrations do) or an https endpoint (`fetch`, redirects never
 * followed). The whole exchange — head and body — is bounded by the authorizer's timeout and the
 * answer by a size cap. Failures are typed (AWS: both are 500s, never a pass):
 * AUTHORIZER_CONFIGURATION_ERROR when the authorizer cannot be reached (no such binding, network
 * failure, timeout), AUTHORIZER_FAILURE when it answers something unusable. An HTTP 401 answer is
 * AWS's "Unauthorized" (the `'unauthorized'` result), 403 is a denial.
 */
import { GatewayError } from '../../../errors/gateway-error'
import { lambdaInvokeUrl, serviceBinding } from '../../../integrations/service-binding'
import type { RequestContext } from '../../../pipeline/types'
import { readCapped } from '../../../streams/read-capped'
import type { AuthorizerTarget } from './compile'

/** Largest authorizer answer read (a policy with context; AWS's are a few KiB). */
export const MAX_AUTHORIZER_RESPONSE_BYTES = 64 * 1024

export type AuthorizerAnswer =
  | { readonly kind: 'json'; readonly value: unknown; readonly bytes: number }
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'forbidden' }

function failure(reason: string): GatewayError {
  return new GatewayError('AUTHORIZER_FAILURE', { reason })
}

function unreachable(reason: string, cause?: unknown): GatewayError {
  return new GatewayError('AUTHORIZER_CONFIGURATION_ERROR', { reason, cause })
}

function send(
  ctx: RequestContext,
  target: AuthorizerTarget,
  body: string,
  signal: AbortSignal
): Promise<Response> {
  const init: RequestInit = {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal,
    redirect: 'manual',
  }
  if (target.kind === 'url') return fetch(target.url, init)
  const binding = serviceBinding(ctx.env, target.binding)
  if (binding === undefined) {
    throw unreachable(`authorizer binding ${target.binding} is not a service binding`)
  }
  return binding.fetch(lambdaInvokeUrl(target.binding), init)
}

async function exchange(
  ctx: RequestContext,
  target: AuthorizerTarget,
  body: string,
  signal: AbortSignal
): Promise<AuthorizerAnswer> {
  const response = await send(ctx, target, body, signal)
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel()
    return { kind: response.status === 401 ? 'unauthorized' : 'forbidden' }
  }
  if (response.status !== 200) {
    await response.body?.cancel()
    throw failure(`authorizer answered HTTP ${String(response.status)}`)
  }
  const bytes = await readCapped(response.body, MAX_AUTHORIZER_RESPONSE_BYTES, {
    declaredLength: response.headers.get('content-length'),
  })
  if (bytes === undefined) throw failure('authorizer answer over the size cap')
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes))
    return { kind: 'json', value, bytes: bytes.byteLength }
  } catch {
    throw failure('authorizer answer is not JSON')
  }
}

/** Sends `event` to the authorizer and returns its answer within `timeoutMs`. */
export async function invokeAuthorizer(
  ctx: RequestContext,
  target: AuthorizerTarget,
  event: unknown,
  timeoutMs: number
): Promise<AuthorizerAnswer> {
  const signal = AbortSignal.timeout(timeoutMs)
  // The signal aborts the fetch; the race also ends a body that keeps trickling after the head.
  const timedOut = new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => {
      reject(unreachable(`authorizer gave no complete answer within ${String(timeoutMs)} ms`))
    })
  })
  try {
    return await Promise.race([exchange(ctx, target, JSON.stringify(event), signal), timedOut])
  } catch (error) {
    if (error instanceof GatewayError) throw error
    if (signal.aborted) {
      throw unreachable(`authorizer gave no complete answer within ${String(timeoutMs)} ms`)
    }
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    throw unreachable(`authorizer call failed: ${text}`, error)
  }
}
