/**
 * Looking up a Workers service binding by name, shared by WORKER integrations (REST/HTTP and
 * WebSocket) and request authorizers. The env is only known per request, so the lookup is too;
 * the invoke URL is fixed and can be computed once at build.
 */
import type { GatewayBindings } from '../env'

function isFetcher(value: unknown): value is Fetcher {
  return (
    typeof value === 'object' &&
    value !== null &&
    'fetch' in value &&
    typeof value.fetch === 'function'
  )
}

/** The service binding called `name`, or undefined when there is none (or it is not a Fetcher). */
export function serviceBinding(env: GatewayBindings, name: string): Fetcher | undefined {
  const value = env[name]
  return isFetcher(value) ? value : undefined
}

/** The Lambda Invoke API path, so a backend can tell an invocation from other traffic. */
export function lambdaInvokeUrl(binding: string): string {
  return `https://lambda.portico.invalid/2015-03-31/functions/${binding}/invocations`
}
