import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { scanJsonShape } from '../../../src/policies/validate/json-shape'
import {
  MAX_REPORTED_PARAMETERS,
  MAX_REPORTED_VIOLATIONS,
} from '../../../src/policies/validate/limits'
import { mediaTypeOf } from '../../../src/policies/validate/media-type'
import {
  invalidBodyMessage,
  missingParametersMessage,
} from '../../../src/policies/validate/messages'
import { requiredParameters } from '../../../src/policies/validate/required-parameters'

/** Nesting depth of a parsed JSON value (a scalar is 0). */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0
  const children = Array.isArray(value) ? value : Object.values(value)
  return 1 + Math.max(0, ...children.map(depthOf))
}

/** Σ n² over the arrays of a parsed JSON value. */
function pairsOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value)
  const own = Array.isArray(value) ? value.length * value.length : 0
  return own + children.reduce<number>((sum, child) => sum + pairsOf(child), 0)
}

describe('scanJsonShape', () => {
  it('measures the depth and array pairs JSON.parse would build, for any JSON text', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined)
        const depth = depthOf(value)
        const shape = scanJsonShape(text, depth)
        expect(shape?.arrayPairs).toBe(pairsOf(value))
        if (depth > 0) expect(scanJsonShape(text, depth - 1)).toBeUndefined()
      }),
      { numRuns: 500 }
    )
  })

  it('never counts brackets inside strings, escaped quotes included', () => {
    expect(scanJsonShape(JSON.stringify({ a: '[[[{{{\\"[[[' }), 1)).toEqual({
      longestString: 13, // raw characters: the escapes count
      arrayPairs: 0,
    })
  })

  it('gives up at the cap on arbitrary text, in one pass', () => {
    expect(scanJsonShape('['.repeat(1_000_000), 64)).toBeUndefined()
    expect(scanJsonShape(']]]]}}}', 64)).toEqual({ longestString: 0, arrayPairs: 0 })
  })
})

describe('messages', () => {
  it('lists at most a bounded number of missing parameters', () => {
    const names = Array.from({ length: 25 }, (_, i) => `p${String(i)}`)
    const message = missingParametersMessage(names)
    expect(message).toBe(
      `Missing required request parameters: [${names.slice(0, MAX_REPORTED_PARAMETERS).join(', ')}, … (15 more)]`
    )
  })

  it('lists at most a bounded number of violations, skipping wrappers and instance locations', () => {
    const units = Array.from({ length: 9 }, (_, i) => ({
      keyword: 'type',
      keywordLocation: `#/properties/p${String(i)}/type`,
      instanceLocation: `#/secret${String(i)}`,
      error: 'Instance type "string" is invalid.',
    }))
    units.push({
      keyword: 'false',
      keywordLocation: '#/secret',
      instanceLocation: '#/secret',
      error: '',
    })
    const message = invalidBodyMessage(units)
    expect(message.match(/type violated/g)).toHaveLength(MAX_REPORTED_VIOLATIONS)
    expect(message).toContain('… (4 more)')
    expect(message).not.toContain('secret')
  })
})

describe('request parsing helpers', () => {
  it('reads the media type without parameters, lower-cased, defaulting to application/json', () => {
    expect(mediaTypeOf('Application/JSON ; charset=UTF-8')).toBe('application/json')
    expect(mediaTypeOf(null)).toBe('application/json')
    expect(mediaTypeOf('  ;x=y')).toBe('application/json')
    expect(mediaTypeOf('text/plain')).toBe('text/plain')
  })

  it('keeps only the parameters declared required, by location', () => {
    expect(
      requiredParameters({
        'method.request.querystring.q': true,
        'method.request.multivalueheader.X-Multi': true,
        'route.request.path.id': true,
        'method.request.header.optional': false,
      })
    ).toEqual([
      { location: 'querystring', name: 'q' },
      { location: 'header', name: 'X-Multi' },
      { location: 'path', name: 'id' },
    ])
  })
})
