/**
 * Parsing of admin request bodies: every field is read through `Fields`, which checks its type and
 * names the offending path in the 400 (`'routeKey' must be a string`). Unknown fields are refused
 * rather than silently dropped, so a typo never looks like a successful change.
 */
import type { Context } from 'hono'
import { badRequest } from '../errors'
import { isRecord, jsonBody } from '../input'

/** The request body (size-capped by the admin plane) as a JSON object (`{}` when empty). */
export async function readBody(c: Context): Promise<Fields> {
  return new Fields(await jsonBody(c))
}

/** Typed reads of one JSON object, tracking which keys were consumed. */
export class Fields {
  private readonly seen = new Set<string>()

  constructor(
    private readonly data: Record<string, unknown>,
    private readonly prefix = ''
  ) {}

  private path(name: string): string {
    return `${this.prefix}${name}`
  }

  private take(name: string): unknown {
    this.seen.add(name)
    const v = this.data[name]
    return v === null ? undefined : v
  }

  has(name: string): boolean {
    return this.data[name] !== undefined && this.data[name] !== null
  }

  str(name: string): string | undefined {
    const v = this.take(name)
    if (v === undefined) return undefined
    if (typeof v !== 'string') return badRequest(`'${this.path(name)}' must be a string`)
    return v
  }

  requiredStr(name: string): string {
    const v = this.str(name)
    if (v === undefined || v === '') return badRequest(`'${this.path(name)}' is required`)
    return v
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const v = this.str(name)
    if (v === undefined) return undefined
    const found = values.find((x) => x === v)
    if (found === undefined) {
      return badRequest(`'${this.path(name)}' must be one of ${values.join(', ')}`)
    }
    return found
  }

  bool(name: string): boolean | undefined {
    const v = this.take(name)
    if (v === undefined) return undefined
    if (typeof v !== 'boolean') return badRequest(`'${this.path(name)}' must be a boolean`)
    return v
  }

  num(name: string, integer = true): number | undefined {
    const v = this.take(name)
    if (v === undefined) return undefined
    if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
      return badRequest(`'${this.path(name)}' must be ${integer ? 'an integer' : 'a number'}`)
    }
    return v
  }

  strList(name: string): string[] | undefined {
    const v = this.take(name)
    if (v === undefined) return undefined
    if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) {
      return badRequest(`'${this.path(name)}' must be a list of strings`)
    }
    return [...v]
  }

  strMap(name: string): Record<string, string> | undefined {
    const v = this.take(name)
    if (v === undefined) return undefined
    if (!isRecord(v)) return badRequest(`'${this.path(name)}' must be a map of strings`)
    const out: Record<string, string> = {}
    for (const [k, x] of Object.entries(v)) {
      if (typeof x !== 'string') return badRequest(`'${this.path(name)}.${k}' must be a string`)
      out[k] = x
    }
    return out
  }

  /** A nested object, itself read through `Fields` (call `done()` on it too). */
  obj(name: string): Fields | undefined {
    const v = this.take(name)
    if (v === undefined) return undefined
    if (!isRecord(v)) return badRequest(`'${this.path(name)}' must be an object`)
    return new Fields(v, `${this.path(name)}.`)
  }

  /** A map of nested objects (`routeSettings`, `requestParameters`…). */
  objMap(name: string): [string, Fields][] | undefined {
    const v = this.take(name)
    if (v === undefined) return undefined
    if (!isRecord(v)) return badRequest(`'${this.path(name)}' must be a map of objects`)
    return Object.entries(v).map(([k, x]) => {
      if (!isRecord(x)) return badRequest(`'${this.path(name)}.${k}' must be an object`)
      return [k, new Fields(x, `${this.path(name)}.${k}.`)]
    })
  }

  /** A map of string maps (`responseParameters`: status → mapping). */
  strMapMap(name: string): Record<string, Record<string, string>> | undefined {
    const entries = this.objMap(name)
    if (entries === undefined) return undefined
    const out: Record<string, Record<string, string>> = {}
    for (const [key, inner] of entries) {
      const values: Record<string, string> = {}
      for (const k of inner.keys()) {
        values[k] = inner.str(k) ?? badRequest(`'${this.path(name)}.${key}.${k}' must be a string`)
      }
      out[key] = values
    }
    return out
  }

  keys(): string[] {
    return Object.keys(this.data)
  }

  /** Marks fields AWS defines but Portico has no use for as accepted (read and dropped). */
  ignore(...names: string[]): void {
    for (const n of names) this.seen.add(n)
  }

  /** Refuses any field not read: unknown or unsupported input is a 400, never dropped. */
  done(): void {
    for (const key of Object.keys(this.data)) {
      if (!this.seen.has(key)) badRequest(`Unsupported field '${this.path(key)}'`)
    }
  }
}

/** `T` with every `X | undefined` property turned into an optional `X` property. */
export type Compact<T> = {
  [K in keyof T as undefined extends T[K] ? never : K]: T[K]
} & { [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined> }

/** Drops undefined values so objects satisfy `exactOptionalPropertyTypes`. */
export function compact<T extends object>(value: T): Compact<T> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v
  return out as Compact<T>
}
