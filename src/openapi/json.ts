/** Guards and JSON Pointer helpers for walking untrusted, already-parsed documents. */

export type JsonObject = Record<string, unknown>

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string')
}

export function isStringMap(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string')
}

/** RFC 6901: `~` → `~0`, `/` → `~1`. */
export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replaceAll('~', '~0').replaceAll('/', '~1')).join('')
}

/** Appends segments to an existing pointer. */
export function child(base: string, ...segments: (string | number)[]): string {
  return base + pointer(...segments)
}

/** Deep structural clone of JSON data (the input is plain JSON, so this is lossless). */
export function cloneJson<T>(value: T): T {
  return structuredClone(value)
}

/** A shallow copy of `obj` without `keys`. */
export function omit(obj: JsonObject, keys: readonly string[]): JsonObject {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)))
}
