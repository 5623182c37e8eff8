/**
 * REST models: `components.schemas` (Swagger 2 `definitions`) → `ApiConfig.models`, and each
 * operation's `requestBody` content schema → `route.requestModels` (content type → model name).
 * A model is self-contained draft 4: the component schemas it references are copied into its
 * `definitions` and `#/components/schemas/X` becomes `#/definitions/X` (export reverses this).
 * An inline body schema becomes a model of its own, named after the operation.
 */
import type { ModelConfig, RouteConfig } from '../config/types'
import type { Diagnostics } from './diagnostics'
import type { JsonObject } from './json'
import { child, cloneJson, isRecord } from './json'
import { stableId } from './stable-id'

const MODEL_NAME = /^[A-Za-z0-9]{1,128}$/
const COMPONENT_REF = '#/components/schemas/'
const MAX_REF_DEPTH = 64

/** Models being collected for one import. */
export class ModelRegistry {
  readonly models: ModelConfig[] = []
  private readonly ids = new Set<string>()

  constructor(
    /** Every component schema by name (models or not), for `$ref` resolution. */
    private readonly schemas: JsonObject,
    private readonly d: Diagnostics
  ) {}

  has(name: string): boolean {
    return this.models.some((m) => m.name === name)
  }

  /** Adds `name` with `schema` (component refs inlined). Returns false when it cannot. */
  add(name: string, schema: JsonObject, at: string, description?: string): boolean {
    const inlined = this.inline(schema, at)
    if (inlined === undefined) return false
    const id = stableId(name, this.ids)
    this.ids.add(id)
    const model: ModelConfig = { id, name, contentType: 'application/json', schema: inlined }
    if (description !== undefined) model.description = description
    this.models.push(model)
    return true
  }

  /** `schema` with the component schemas it reaches copied into `definitions`. */
  private inline(schema: JsonObject, at: string): JsonObject | undefined {
    const definitions: JsonObject = isRecord(schema.definitions) ? { ...schema.definitions } : {}
    const pending: string[] = []
    const rewrite = (value: unknown, depth: number): unknown => {
      if (depth > MAX_REF_DEPTH) return value
      if (Array.isArray(value)) return value.map((v) => rewrite(v, depth + 1))
      if (!isRecord(value)) return value
      const out: JsonObject = {}
      for (const [k, v] of Object.entries(value)) {
        if (k === '$ref' && typeof v === 'string' && v.startsWith(COMPONENT_REF)) {
          const target = v.slice(COMPONENT_REF.length)
          pending.push(target)
          out[k] = `#/definitions/${target}`
        } else out[k] = rewrite(v, depth + 1)
      }
      return out
    }
    const root = rewrite(schema, 0)
    if (!isRecord(root)) return undefined
    const seen = new Set<string>()
    for (let i = 0; i < pending.length && i < 10_000; i++) {
      const target = pending[i] ?? ''
      if (seen.has(target)) continue
      seen.add(target)
      const referenced = this.schemas[target]
      if (!isRecord(referenced)) {
        this.d.error(at, `Schema reference ${COMPONENT_REF}${target} does not resolve`)
        return undefined
      }
      const copy = rewrite(referenced, 0)
      if (isRecord(copy)) {
        delete copy.definitions
        definitions[target] = copy
      }
    }
    if (Object.keys(definitions).length > 0) root.definitions = definitions
    return root
  }

  /** The model for a body schema: a component reference, or a new model for an inline one. */
  modelFor(schema: unknown, suggested: string, at: string): string | undefined {
    if (!isRecord(schema)) return undefined
    const ref = schema.$ref
    if (typeof ref === 'string') {
      const name = ref.startsWith(COMPONENT_REF) ? ref.slice(COMPONENT_REF.length) : undefined
      if (name !== undefined && this.has(name) && Object.keys(schema).length === 1) return name
      this.d.warn(at, `Body schema ${ref} is not a model: the body is not validated against it`)
      return undefined
    }
    let name = suggested
    for (let n = 2; this.has(name) && n < 10_000; n++) name = `${suggested}${String(n)}`
    return this.add(name, schema, at) ? name : undefined
  }
}

/** Component schemas → models; returns the registry and the schemas that are not models. */
export function importModels(
  schemas: unknown,
  base: string,
  d: Diagnostics
): { registry: ModelRegistry; rest: JsonObject } {
  const all = isRecord(schemas) ? schemas : {}
  const registry = new ModelRegistry(all, d)
  const rest: JsonObject = {}
  for (const [name, schema] of Object.entries(all)) {
    const at = child(base, name)
    if (!MODEL_NAME.test(name) || !isRecord(schema)) {
      d.warn(at, `Schema ${name} is not a model (model names are alphanumeric); kept for export`)
      rest[name] = schema
      continue
    }
    const description = typeof schema.description === 'string' ? schema.description : undefined
    if (!registry.add(name, schema, at, description)) rest[name] = schema
  }
  return { registry, rest }
}

/** `Pet body` from `operationId` or method and path: alphanumeric, ≤ 120 characters. */
export function inlineModelName(route: RouteConfig): string {
  const source = route.operationName ?? route.routeKey
  const words = source.split(/[^A-Za-z0-9]+/).filter((w) => w !== '')
  const camel = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')
  return `${camel.slice(0, 116)}Body`
}

/**
 * The route's `requestModels` from the stored operation's `requestBody`; the schemas that became
 * models are removed from it (export puts `$ref`s to the models back).
 */
export function importRequestModels(
  stored: JsonObject,
  route: RouteConfig,
  registry: ModelRegistry,
  at: string
): Pick<RouteConfig, 'requestModels'> {
  const body = stored.requestBody
  if (!isRecord(body) || !isRecord(body.content)) return {}
  const out: Record<string, string> = {}
  for (const [contentType, media] of Object.entries(body.content)) {
    if (!isRecord(media) || media.schema === undefined) continue
    const where = child(at, 'requestBody', 'content', contentType, 'schema')
    const name = registry.modelFor(cloneJson(media.schema), inlineModelName(route), where)
    if (name === undefined) continue
    out[contentType] = name
    delete media.schema
  }
  return Object.keys(out).length > 0 ? { requestModels: out } : {}
}
