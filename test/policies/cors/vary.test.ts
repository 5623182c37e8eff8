import { describe, expect, it } from 'vitest'
import { mergeVary } from '../../../src/policies/cors/vary'

function merged(current: string | undefined, fields: string): string | null {
  const headers = new Headers(current === undefined ? {} : { vary: current })
  mergeVary(headers, fields)
  return headers.get('vary')
}

describe('mergeVary', () => {
  it.each([
    [undefined, 'Origin', 'Origin'],
    ['', 'Origin', 'Origin'],
    ['Accept-Encoding', 'Origin', 'Accept-Encoding, Origin'],
    ['accept-encoding, ORIGIN', 'Origin', 'accept-encoding, ORIGIN'],
    ['Origin', 'Origin, Access-Control-Request-Method', 'Origin, Access-Control-Request-Method'],
    ['*', 'Origin', '*'],
  ])('%j + %j → %j', (current, fields, expected) => {
    expect(merged(current, fields)).toBe(expected)
  })
})
