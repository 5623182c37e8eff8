/**
 * Typed reads of admin request bodies (AWS JSON input). Each reader checks the type and names
 * the field in the 400, so the SDK user sees which input was wrong.
 */
import type { Context } from 'hono'
import { adminBodyText } from './context'
import { badRequest } from './errors'

export type JsonObject = Record<string, unknown>

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The body as a JSON object; an empty body is `{}` (AWS SDKs send `{}` or nothing). */
export async function jsonBody(c: Context): Promise<JsonObject> {
  const text = await adminBodyText(c)
  if (text.trim() === '') return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return badRequest('Invalid request body: not valid JSON')
  }
  if (!isRecord(value)) return badRequest('Invalid request body: expected a JSON object')
  return value
}

export function optString(obj: JsonObject, name: string): string | undefined {
  const v = obj[name]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') return badRequest(`'${name}' must be a string`)
  return v
}

export function optBool(obj: JsonObject, name: string): boolean | undefined {
  const v = obj[name]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'boolean') return badRequest(`'${name}' must be a boolean`)
  return v
}

export function optNumber(obj: JsonObject, name: string): number | undefined {
  const v = obj[name]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v)) return badRequest(`'${name}' must be a number`)
  return v
}

export function optStringList(obj: JsonObject, name: string): string[] | undefined {
  const v = obj[name]
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) {
    return badRequest(`'${name}' must be a list of strings`)
  }
  return [...v]
}

export function optStringMap(obj: JsonObject, name: string): Record<string, string> | undefined {
  const v = obj[name]
  if (v === undefined || v === null) return undefined
  if (!isRecord(v)) return badRequest(`'${name}' must be a map of strings`)
  const out: Record<string, string> = {}
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') return badRequest(`'${name}.${k}' must be a string`)
    out[k] = x
  }
  return out
}

export function optObject(obj: JsonObject, name: string): JsonObject | undefined {
  const v = obj[name]
  if (v === undefined || v === null) return undefined
  if (!isRecord(v)) return badRequest(`'${name}' must be an object`)
  return v
}

/** AWS list paging: `limit` 1–500 (default 25) and `position` (an opaque cursor). */
export function pagingQuery(c: Context): { limit: number; position: string | undefined } {
  const raw = c.req.query('limit')
  let limit = 25
  if (raw !== undefined) {
    if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > 500) {
      return badRequest("'limit' must be an integer from 1 to 500")
    }
    limit = Number(raw)
  }
  const position = c.req.query('position')
  return { limit, position: position === '' ? undefined : position }
}

/** One page of `items` sorted by `keyOf`, starting after the key named by `position`. */
export function page<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  paging: { limit: number; position: string | undefined }
): { item: T[]; position?: string } {
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0))
  const after = paging.position
  const start = after === undefined ? 0 : sorted.findIndex((i) => keyOf(i) > after)
  const rest = start < 0 ? [] : sorted.slice(start)
  const item = rest.slice(0, paging.limit)
  const last = item[item.length - 1]
  return rest.length > paging.limit && last !== undefined
    ? { item, position: keyOf(last) }
    : { item }
}
