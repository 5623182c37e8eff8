/**
 * Config issues: what a rejected document is told. Turns @cfworker/json-schema output (one unit
 * per keyword, wrappers included) into one concise issue per deepest JSON Pointer path.
 */
import type { OutputUnit } from '@cfworker/json-schema'
import { CONFIG_SCHEMA_VERSION } from './types'
import { MAX_REPORTED_ISSUES } from './limits'

/** One problem in a config document. */
export interface ConfigIssue {
  /** RFC 6901 JSON Pointer to the offending value (`/routes/3/routeKey`; `''` = whole document). */
  path: string
  message: string
}

/** RFC 6901 §3: `~` → `~0`, `/` → `~1`. */
export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')
}

/** The message for a `schemaVersion` this build cannot read (future or garbage). */
export function unsupportedVersionMessage(found: unknown): string {
  return `schemaVersion ${JSON.stringify(found)} is not supported; this build understands schemaVersion ${CONFIG_SCHEMA_VERSION}`
}

// Keywords that only say "something below failed": the unit below names the real problem.
const WRAPPERS = new Set([
  'properties',
  'items',
  'prefixItems',
  'additionalItems',
  'additionalProperties',
  'patternProperties',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
  'allOf',
  'anyOf',
  'oneOf',
  '$ref',
  'if',
  'then',
  'else',
  'dependentSchemas',
  'dependencies',
  'contains',
])

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `#/a/b%20c` (the library's URI-fragment pointer) → `['a', 'b c']` (unescaped tokens). */
function fragmentTokens(location: string): string[] {
  const body = location.startsWith('#') ? location.slice(1) : location
  if (body === '') return []
  return body
    .slice(1)
    .split('/')
    .map((t) => {
      let decoded = t
      try {
        decoded = decodeURIComponent(t)
      } catch {
        // keep the raw token: it came from our own encoder, so this does not happen
      }
      return decoded.replace(/~1/g, '/').replace(/~0/g, '~')
    })
}

function walk(root: unknown, tokens: readonly string[]): unknown {
  let node = root
  for (const token of tokens) {
    if (Array.isArray(node)) node = node[Number(token)]
    else if (isRecord(node)) node = node[token]
    else return undefined
  }
  return node
}

const ARTICLE: Record<string, string> = {
  array: 'an array',
  boolean: 'a boolean',
  integer: 'an integer',
  null: 'null',
  number: 'a number',
  object: 'an object',
  string: 'a string',
}

function describe(unit: OutputUnit, node: Record<string, unknown>, path: string): string {
  const value = node[unit.keyword]
  switch (unit.keyword) {
    case 'type':
      return `must be ${(Array.isArray(value) ? value : [value]).map((t) => ARTICLE[String(t)] ?? String(t)).join(' or ')}`
    case 'const':
      return path.endsWith('/schemaVersion')
        ? `must be ${CONFIG_SCHEMA_VERSION}: this build understands schemaVersion ${CONFIG_SCHEMA_VERSION}`
        : `must be ${JSON.stringify(value)}`
    case 'enum':
      return `must be one of ${Array.isArray(value) ? value.map(String).join(', ') : ''}`
    case 'not':
      return isRecord(value) && 'const' in value
        ? `must not be ${JSON.stringify(value.const)}`
        : 'is not allowed'
    case 'pattern':
      return `must match ${String(value)}`
    case 'minLength':
      return value === 1 ? 'must not be empty' : `must be at least ${String(value)} characters`
    case 'maxLength':
      return `must be at most ${String(value)} characters`
    case 'minimum':
      return `must be at least ${String(value)}`
    case 'maximum':
      return `must be at most ${String(value)}`
    case 'minItems':
      return `must have at least ${String(value)} items`
    case 'maxItems':
      return `must have at most ${String(value)} items`
    case 'maxProperties':
      return `must have at most ${String(value)} entries`
    case 'false':
      return 'is not a known property'
    default:
      return unit.error
  }
}

/**
 * Concise issues from schema output: wrapper units dropped, `required` reported at the missing
 * property's own path, property-name failures labelled as such, one issue per path.
 */
export function schemaIssues(
  units: readonly OutputUnit[],
  schema: unknown,
  doc: unknown
): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  for (const unit of units) {
    if (WRAPPERS.has(unit.keyword)) continue
    const instance = fragmentTokens(unit.instanceLocation)
    const path = pointer(...instance)
    const schemaTokens = fragmentTokens(unit.keywordLocation)
    const node = walk(schema, schemaTokens.slice(0, -1))
    if (unit.keyword === 'required') {
      const target = walk(doc, instance)
      const required = isRecord(node) && Array.isArray(node.required) ? node.required : []
      for (const key of required) {
        if (isRecord(target) && !Object.hasOwn(target, String(key))) {
          issues.push({ path: pointer(...instance, String(key)), message: 'is required' })
        }
      }
      continue
    }
    const message = describe(unit, isRecord(node) ? node : {}, path)
    const isName = schemaTokens.includes('propertyNames')
    issues.push({ path, message: isName ? `property name ${message}` : message })
  }
  return dedupe(issues)
}

/** One issue per path (the first), in document order of discovery. */
export function dedupe(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>()
  return issues.filter((issue) => {
    if (seen.has(issue.path)) return false
    seen.add(issue.path)
    return true
  })
}

/** Caps the list so a broken 300-route document yields a readable answer. */
export function capIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  if (issues.length <= MAX_REPORTED_ISSUES) return [...issues]
  const rest = issues.length - MAX_REPORTED_ISSUES
  return [
    ...issues.slice(0, MAX_REPORTED_ISSUES),
    { path: '', message: `and ${rest} more issue${rest === 1 ? '' : 's'}` },
  ]
}
