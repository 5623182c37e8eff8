/**
 * The wire messages of failed validation. They are built from config only — parameter names,
 * schema keywords and schema locations — never from the request: the body's values and keys are
 * not echoed (a reflected value is an injection and disclosure vector).
 */
import type { OutputUnit } from '@cfworker/json-schema'
import { MAX_REPORTED_PARAMETERS, MAX_REPORTED_VIOLATIONS } from './limits'

/** AWS's message: `Missing required request parameters: [q, h]`. */
export function missingParametersMessage(names: readonly string[]): string {
  const shown = names.slice(0, MAX_REPORTED_PARAMETERS)
  const more = names.length - shown.length
  const list = shown.join(', ') + (more > 0 ? `, … (${String(more)} more)` : '')
  return `Missing required request parameters: [${list}]`
}

/** Units that only say "something below failed", or whose location is the instance's. */
const NOT_REPORTED = new Set(['properties', 'patternProperties', 'items', '$ref', 'allOf', 'false'])
const REQUIRED_PROPERTY = /^Instance does not have required property "(.*)"\.$/s
const MAX_LOCATION_CHARS = 200

const bounded = (text: string) =>
  text.length > MAX_LOCATION_CHARS ? `${text.slice(0, MAX_LOCATION_CHARS)}…` : text

/**
 * `Invalid request body: [...]` listing at most a few violations, each as its schema keyword and
 * schema location (`keywordLocation`, a pointer into the model, never into the body). Missing
 * required properties are named, AWS-style: their names come from the model's `required`.
 */
export function invalidBodyMessage(units: readonly OutputUnit[]): string {
  const missing = new Map<string, string[]>()
  const others: string[] = []
  for (const unit of units) {
    if (NOT_REPORTED.has(unit.keyword)) continue
    const name = unit.keyword === 'required' ? REQUIRED_PROPERTY.exec(unit.error)?.[1] : undefined
    if (name !== undefined) {
      const names = missing.get(unit.keywordLocation) ?? []
      names.push(name)
      missing.set(unit.keywordLocation, names)
    } else {
      others.push(`${unit.keyword} violated at ${bounded(unit.keywordLocation)}`)
    }
  }
  const reported = [
    ...[...missing.values()].map(
      (names) => `object has missing required properties (${bounded(JSON.stringify(names))})`
    ),
    ...others,
  ]
  const shown = reported.slice(0, MAX_REPORTED_VIOLATIONS)
  const more = reported.length - shown.length
  return `Invalid request body: [${shown.join(', ')}${more > 0 ? `, … (${String(more)} more)` : ''}]`
}
