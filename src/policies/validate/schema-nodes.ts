/**
 * What one subschema asks of the validator: the checks made on each schema object a model
 * compiles to (draft-4 keywords only, safe regexes, known formats) and the subschemas it applies,
 * by how they move through the instance (for the evaluation bound).
 */
import { format as CHECKED_FORMATS } from '@cfworker/json-schema'
import { checkSafeRegex } from '../../config/safe-regex'

/**
 * Keywords of later drafts that @cfworker/json-schema applies whatever the draft: a draft-4
 * validator (AWS) ignores them, so a model using them would validate differently here.
 */
const LATER_DRAFT_KEYWORDS = [
  '$id',
  '$anchor',
  '$recursiveRef',
  '$recursiveAnchor',
  'const',
  'contains',
  'minContains',
  'maxContains',
  'propertyNames',
  'if',
  'then',
  'else',
  'dependentRequired',
  'dependentSchemas',
  'prefixItems',
  'unevaluatedItems',
  'unevaluatedProperties',
]
/** Draft 4 §7.3 formats; other names the library knows (`url`, `uuid`…) draft 4 would ignore. */
const DRAFT4_FORMATS = new Set(['date-time', 'email', 'hostname', 'ipv4', 'ipv6', 'uri'])
const DRAFT4_SCHEMA_URI = /^https?:\/\/json-schema\.org\/draft-04\/schema#?$/

export type SchemaObject = Record<string, unknown>

export const isSchemaObject = (value: unknown): value is SchemaObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const own = (object: object, key: string): boolean => Object.hasOwn(object, key)

function checkFormat(name: unknown): string | undefined {
  // `regex` (used by the draft-4 meta-schema itself) only compiles the string: no matching.
  if (typeof name !== 'string' || DRAFT4_FORMATS.has(name) || name === 'regex') return undefined
  // The library looks formats up on a plain object: inherited names would run Object.prototype.
  if (name in Object.prototype) return `format ${JSON.stringify(name)} is not a format name`
  if (own(CHECKED_FORMATS, name)) {
    return `format ${JSON.stringify(name)} is not a draft-4 format (draft 4 defines ${[...DRAFT4_FORMATS].join(', ')})`
  }
  return undefined
}

/** Why one schema object cannot be used, or `undefined`. */
export function checkSchemaNode(node: SchemaObject): string | undefined {
  for (const keyword of LATER_DRAFT_KEYWORDS) {
    if (own(node, keyword)) return `keyword ${keyword} is not part of JSON Schema draft 4`
  }
  const declared = node.$schema
  if (
    declared !== undefined &&
    (typeof declared !== 'string' || !DRAFT4_SCHEMA_URI.test(declared))
  ) {
    return `$schema must be http://json-schema.org/draft-04/schema# (models are draft 4)`
  }
  const formatProblem = checkFormat(node.format)
  if (formatProblem !== undefined) return formatProblem
  if (typeof node.pattern === 'string') {
    const problem = checkSafeRegex(node.pattern)
    if (problem !== undefined) return `pattern ${JSON.stringify(node.pattern)}: ${problem}`
  }
  if (isSchemaObject(node.patternProperties)) {
    for (const pattern of Object.keys(node.patternProperties)) {
      const problem = checkSafeRegex(pattern)
      if (problem !== undefined) return `patternProperties ${JSON.stringify(pattern)}: ${problem}`
    }
  }
  return undefined
}

/** The subschemas a validator applies to one instance node, grouped by where they apply. */
export interface Applied {
  /** The node's own work per evaluation: 1 plus the entries it loops over. */
  readonly ownCost: number
  /** To the same instance node ($ref, allOf, anyOf, oneOf, not, schema dependencies). */
  readonly same: unknown[]
  /** Object members: `properties` (a key matches at most one). */
  readonly property: unknown[]
  /** Object members: `patternProperties` (several may match one key). */
  readonly pattern: unknown[]
  /** Object members: `additionalProperties`. */
  readonly additionalProperty: unknown[]
  /** Array items: tuple `items` (one per index) or the one `items` schema. */
  readonly item: unknown[]
  /** Array items beyond a tuple: `additionalItems`. */
  readonly additionalItem: unknown[]
}

const values = (map: unknown): unknown[] => (isSchemaObject(map) ? Object.values(map) : [])
const list = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : [])
const one = (value: unknown): unknown[] => (isSchemaObject(value) ? [value] : [])

/** How `node` applies its subschemas (`resolve`: the target of a `$ref`). */
export function appliedSubschemas(
  node: SchemaObject,
  resolve: (node: SchemaObject) => unknown
): Applied {
  const none: unknown[] = []
  if (typeof node.$ref === 'string') {
    // Draft 4: `$ref` replaces the whole schema object; the library returns right after it.
    const only = { property: none, pattern: none, additionalProperty: none }
    return { ownCost: 1, same: [resolve(node)], ...only, item: none, additionalItem: none }
  }
  return {
    ownCost:
      1 +
      values(node.properties).length +
      values(node.patternProperties).length +
      list(node.required).length +
      list(node.enum).length,
    same: [
      ...list(node.allOf),
      ...list(node.anyOf),
      ...list(node.oneOf),
      ...one(node.not),
      ...values(node.dependencies).filter(isSchemaObject),
    ],
    property: values(node.properties),
    pattern: values(node.patternProperties),
    additionalProperty: one(node.additionalProperties),
    item: Array.isArray(node.items) ? (node.items as unknown[]) : one(node.items),
    additionalItem: one(node.additionalItems),
  }
}
