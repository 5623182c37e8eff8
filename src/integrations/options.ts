/** Integration settings shared by every type: timeout and method, validated at build. */
import type { IntegrationConfig } from '../config/types'
import { MAX_TIMEOUT_MS, MIN_TIMEOUT_MS } from '../config/limits'
import { err, ok, type Result } from '../result'

/** AWS: 29 s unless configured. */
export const DEFAULT_TIMEOUT_MS = MAX_TIMEOUT_MS

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'ANY'])

/** AWS: `timeoutInMillis` is 50–29000 ms; anything else cannot be served. */
export function parseTimeout(integration: IntegrationConfig): Result<number, string> {
  const value = integration.timeoutInMillis ?? DEFAULT_TIMEOUT_MS
  if (!Number.isInteger(value) || value < MIN_TIMEOUT_MS || value > MAX_TIMEOUT_MS) {
    return err(`timeoutInMillis must be an integer from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS}`)
  }
  return ok(value)
}

/** The upstream method, or undefined for `ANY` (forward the client's method). */
export function parseMethod(integration: IntegrationConfig): Result<string | undefined, string> {
  const method = (integration.integrationMethod ?? 'ANY').toUpperCase()
  if (!METHODS.has(method)) return err(`integrationMethod ${method} is not supported`)
  return ok(method === 'ANY' ? undefined : method)
}
