/**
 * Turns a model (JSON Schema draft 4) into a validator, once per config version: checked against
 * the draft-4 meta-schema, every subschema vetted (`schema-nodes.ts`), every `$ref` resolved
 * inside the model — or to another model of the same API through AWS's model URL
 * (`https://apigateway.amazonaws.com/restapis/{id}/models/{name}`), or to the bundled draft-4
 * meta-schema — and the worst-case work bounded. Nothing is ever fetched. The write-time check
 * (config/validate-models.ts) and the validate policy use this same function.
 */
import {
  dereference,
  validate,
  Validator,
  type OutputUnit,
  type Schema,
} from '@cfworker/json-schema'
import type { ModelConfig } from '../../config/types'
import { err, ok, type Result } from '../../result'
import { DRAFT4_METASCHEMA_URI, draft4Metaschema } from './draft4-metaschema'
import { workPerPath } from './evaluation-bound'
import {
  MAX_BODY_DEPTH,
  MAX_SCHEMA_ARRAY_ITEMS,
  MAX_SCHEMA_NODES,
  MAX_WORK_PER_PATH,
} from './limits'
import {
  appliedSubschemas,
  checkSchemaNode,
  isSchemaObject,
  type SchemaObject,
} from './schema-nodes'

/** AWS's address of a model of a REST API, as other models `$ref` it. */
const AWS_MODEL_REF =
  /^https:\/\/apigateway\.amazonaws\.com\/restapis\/[A-Za-z0-9]+\/models\/([A-Za-z0-9]+)(?:#.*)?$/

export interface CompiledModel {
  readonly name: string
  /** The model (or one it refers to) runs regexes on strings: their length is capped. */
  readonly usesPattern: boolean
  /** The model compares array items pairwise: array sizes are budgeted. */
  readonly usesUniqueItems: boolean
  /** The violations of `instance` (empty: valid). */
  violations(instance: unknown): readonly OutputUnit[]
}

let metaValidator: Validator | undefined
/** The draft-4 meta-schema as a validator, built once per isolate. */
function metaschemaValidator(): Validator {
  metaValidator ??= new Validator(draft4Metaschema(), '4', true)
  return metaValidator
}

/** `$ref` strings anywhere in `value` (only used to find referenced models; over-inclusive). */
function refStrings(value: unknown, out: Set<string>, depth = 0): Set<string> {
  if (depth > MAX_BODY_DEPTH || typeof value !== 'object' || value === null) return out
  if (Array.isArray(value)) {
    for (const item of value) refStrings(item, out, depth + 1)
    return out
  }
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string') out.add(child)
    else refStrings(child, out, depth + 1)
  }
  return out
}

/** Models reachable through AWS model URLs, by the base URL they are referred to with. */
function referencedModels(
  root: ModelConfig,
  models: ReadonlyMap<string, ModelConfig>
): Result<Map<string, ModelConfig>, string> {
  const byUrl = new Map<string, ModelConfig>()
  const queue = [root]
  const visited = new Set<string>([root.name])
  for (let model = queue.pop(); model !== undefined; model = queue.pop()) {
    for (const ref of refStrings(model.schema, new Set())) {
      const name = AWS_MODEL_REF.exec(ref)?.[1]
      if (name === undefined) continue
      const target = models.get(name)
      if (target === undefined) return err(`$ref ${JSON.stringify(ref)} names no model of this API`)
      byUrl.set(ref.split('#')[0] ?? ref, target)
      if (!visited.has(name)) {
        visited.add(name)
        queue.push(target)
      }
    }
  }
  return ok(byUrl)
}

/** An array longer than the cap anywhere in `value` (checked before any pairwise comparison). */
function oversizedArray(value: unknown, depth = 0): boolean {
  if (depth > MAX_BODY_DEPTH || typeof value !== 'object' || value === null) return false
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value)
  if (Array.isArray(value) && value.length > MAX_SCHEMA_ARRAY_ITEMS) return true
  return children.some((child) => oversizedArray(child, depth + 1))
}

function metaschemaIssue(schema: SchemaObject): string | undefined {
  if (oversizedArray(schema)) {
    return `arrays in a model (enum, required…) are limited to ${String(MAX_SCHEMA_ARRAY_ITEMS)} items`
  }
  const result = metaschemaValidator().validate(schema)
  if (result.valid) return undefined
  const deepest = result.errors[result.errors.length - 1]
  const where = deepest?.instanceLocation ?? '#'
  return `not a valid draft-4 schema at ${where}: ${deepest?.error ?? 'invalid'}`
}

const SCHEMA_VALUED = ['additionalItems', 'items', 'additionalProperties', 'not']
const SCHEMA_LISTS = ['items', 'allOf', 'anyOf', 'oneOf']
const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', 'dependencies']

/**
 * Draft 4: `$ref` replaces its schema object, so an `id` beside it must not change the base URI
 * (the library would let it). Removes such ids from a private copy, in schema positions only.
 */
function dropRefSiblingIds(node: unknown, depth = 0): void {
  if (!isSchemaObject(node) || depth > MAX_BODY_DEPTH) return
  if (typeof node.$ref === 'string') delete node.id
  const children: unknown[] = []
  for (const key of SCHEMA_VALUED) children.push(node[key])
  for (const key of SCHEMA_LISTS)
    if (Array.isArray(node[key])) children.push(...(node[key] as unknown[]))
  for (const key of SCHEMA_MAPS)
    if (isSchemaObject(node[key])) children.push(...Object.values(node[key]))
  for (const child of children) dropRefSiblingIds(child, depth + 1)
}

const absoluteRef = (node: SchemaObject): unknown => Reflect.get(node, '__absolute_ref__')

/** Compiles model `name` of an API whose models are `models` (by name). */
export function compileModel(
  name: string,
  models: ReadonlyMap<string, ModelConfig>
): Result<CompiledModel, string> {
  const model = models.get(name)
  if (model === undefined) return err(`no model named ${JSON.stringify(name)}`)
  const invalid = metaschemaIssue(model.schema)
  if (invalid !== undefined) return err(invalid)
  const referenced = referencedModels(model, models)
  if (!referenced.ok) return referenced
  const root = structuredClone(model.schema)
  dropRefSiblingIds(root)
  let lookup: Record<string, Schema | boolean>
  try {
    const registry = dereference(root)
    for (const [url, target] of referenced.value) {
      const targetIssue = metaschemaIssue(target.schema)
      if (targetIssue !== undefined) return err(`model ${target.name}: ${targetIssue}`)
      // Draft 4 `id`: the other model answers to the URL it is referred to with.
      const copy = structuredClone(target.schema)
      dropRefSiblingIds(copy)
      dereference({ ...copy, id: url }, registry)
    }
    const refsMetaschema = [...refStrings(model.schema, new Set())].some((r) =>
      r.startsWith(DRAFT4_METASCHEMA_URI.slice(0, -1))
    )
    if (refsMetaschema) dereference(draft4Metaschema(), registry)
    lookup = registry
  } catch (e) {
    const first = e instanceof Error ? (e.message.split('\n')[0] ?? '') : ''
    return err(`schema does not compile: ${first}`)
  }
  const nodes = new Set(Object.values(lookup).filter(isSchemaObject))
  if (nodes.size > MAX_SCHEMA_NODES) {
    return err(`more than ${String(MAX_SCHEMA_NODES)} subschemas (referenced models included)`)
  }
  const resolve = (node: SchemaObject): unknown => {
    const target = absoluteRef(node)
    return typeof target === 'string' ? lookup[target] : undefined
  }
  // Vet what the validator can evaluate: the root and everything it applies, through `$ref`s
  // (free-form values such as `example` objects are not schemas and are left alone).
  let usesPattern = false
  let usesUniqueItems = false
  const reachable = new Set<SchemaObject>([root])
  for (const node of reachable) {
    const problem = checkSchemaNode(node)
    if (problem !== undefined) return err(problem)
    if (typeof node.$ref === 'string' && resolve(node) === undefined) {
      return err(
        `$ref ${JSON.stringify(node.$ref)} does not resolve inside the model: remote references are refused (Portico never fetches schemas)`
      )
    }
    usesPattern ||= node.pattern !== undefined || node.patternProperties !== undefined
    usesUniqueItems ||= node.uniqueItems === true
    const applied = appliedSubschemas(node, resolve)
    const { same, property, pattern, additionalProperty, item, additionalItem } = applied
    for (const child of [
      ...same,
      ...property,
      ...pattern,
      ...additionalProperty,
      ...item,
      ...additionalItem,
    ]) {
      if (isSchemaObject(child)) reachable.add(child)
    }
  }
  const bound = workPerPath(root, resolve, MAX_BODY_DEPTH, MAX_WORK_PER_PATH)
  if (!bound.ok) return bound
  if (bound.value > MAX_WORK_PER_PATH) {
    return err(
      `a body could cost the validator more than ${String(MAX_WORK_PER_PATH)} work units along one path (subschemas applied repeatedly through $ref, or very large property lists and enums)`
    )
  }
  return ok({
    name,
    usesPattern,
    usesUniqueItems,
    violations: (instance) => {
      const result = validate(instance, root, '4', lookup, true)
      return result.valid ? [] : result.errors
    },
  })
}
