/**
 * Route selection (AWS `routeSelectionExpression`): `$request.body.<path>` or
 * `${request.body.<path>}`, a dotted path into the message parsed as JSON. The selected value is
 * the route key when it is a string (numbers and booleans as their text); a message that is not
 * JSON, or has no value there, selects `$default`.
 */
import { err, ok, type Result } from '../result'

const EXPRESSION = /^(?:\$request\.body\.([^{}\s]+)|\$\{request\.body\.([^{}\s]+)\})$/
const SEGMENT = /^[A-Za-z0-9_$@:-]{1,128}$/
const MAX_SEGMENTS = 10

/** The compiled expression: the property path into the message body. */
export type RouteSelector = readonly string[]

export function compileRouteSelection(expression: string): Result<RouteSelector, string> {
  const match = EXPRESSION.exec(expression)
  const path = match?.[1] ?? match?.[2]
  if (path === undefined) {
    return err('routeSelectionExpression must be $request.body.<path> or ${request.body.<path>}')
  }
  const segments = path.split('.')
  if (segments.length > MAX_SEGMENTS || !segments.every((s) => SEGMENT.test(s))) {
    return err(`routeSelectionExpression path must be 1-${String(MAX_SEGMENTS)} simple names`)
  }
  return ok(segments)
}

/** The route key a message selects, or undefined (→ `$default`). */
export function selectRouteKey(selector: RouteSelector, body: string): string | undefined {
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch {
    return undefined
  }
  for (const name of selector) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
    // Own properties only: `__proto__` or `constructor` must not select anything inherited.
    if (!Object.hasOwn(value, name)) return undefined
    value = (value as Record<string, unknown>)[name]
  }
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}
