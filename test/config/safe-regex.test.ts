import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkSafeRegex, MAX_REGEX_LENGTH } from '../../src/config/safe-regex'

const SAFE = [
  '^[A-Za-z0-9]+$',
  '^\\d{3}-\\d{4}$',
  '^\\d+\\.\\d+$',
  '^(\\d{1,3}\\.){3}\\d{1,3}$',
  '^[a-z][a-z0-9-]*$',
  '^\\s*\\S+\\s*$',
  '^[a-z]+@[a-z]+\\.[a-z]+$',
  '^(?:GET|POST|PUT)$',
  '^(?<year>\\d{4})-(?<month>\\d{2})$',
  '^Bearer [A-Za-z0-9._~+/-]+=*$',
  '^\\p{L}+$',
  '^[^@]+@[^@]+$',
  'a+b+c+',
  '^[a-z0-9]+(-[a-z0-9]+)*$',
  '^([a-z0-9]+\\.)*[a-z]+$',
  '^[a-z]+(\\.[a-z]+)*@[a-z]+$',
  '^(\\d{1,3}\\.)+\\d+$',
  '^x(?=y)\\w*$',
]

const CATASTROPHIC: [string, RegExp][] = [
  ['(a+)+$', /nested quantifiers/],
  ['^(\\w*)*$', /nested quantifiers/],
  ['^([a-z0-9]+\\.?)+$', /nested quantifiers/],
  ['^(\\w+\\s?)*$', /nested quantifiers/],
  ['^(a+[ab])*$', /nested quantifiers/],
  ['^(ab)*b*$', /adjacent unbounded quantifiers/],
  ['^a*(a-)*$', /adjacent unbounded quantifiers/],
  ['(x+x+)+y', /nested quantifiers/],
  ['^(a{1,100}){1,100}$', /nested quantifiers/],
  ['^(a|a)*$', /overlapping alternatives/],
  ['^(a|ab)+$', /overlapping alternatives/],
  ['^(\\w|\\d)+$', /overlapping alternatives/],
  ['^(.|\\s)*$', /overlapping alternatives/],
  ['^\\d+\\d*$', /adjacent unbounded quantifiers/],
  ['^.*.*=.*$', /adjacent unbounded quantifiers/],
  // Conservative: a mandatory atom the repetitions can match does not separate them.
  ['^.*a.*$', /adjacent unbounded quantifiers/],
  ['^\\d+\\.?\\d+$', /adjacent unbounded quantifiers/],
  ['^(a)\\1$', /backreferences/],
  ['^(?<x>a)\\k<x>$', /backreferences/],
]

describe('checkSafeRegex', () => {
  for (const pattern of SAFE) {
    it(`accepts ${pattern}`, () => {
      expect(checkSafeRegex(pattern)).toBeUndefined()
    })
  }

  for (const [pattern, reason] of CATASTROPHIC) {
    it(`refuses ${pattern}`, () => {
      expect(checkSafeRegex(pattern)).toMatch(reason)
    })
  }

  it('refuses what does not compile in Unicode mode', () => {
    expect(checkSafeRegex('[')).toMatch(/not a valid regular expression/)
    expect(checkSafeRegex('\\-')).toMatch(/not a valid regular expression/)
    expect(checkSafeRegex('a{2')).toMatch(/not a valid regular expression/)
  })

  it('refuses patterns over the length cap', () => {
    expect(checkSafeRegex('a'.repeat(MAX_REGEX_LENGTH))).toBeUndefined()
    expect(checkSafeRegex('a'.repeat(MAX_REGEX_LENGTH + 1))).toMatch(/longer than/)
  })

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (pattern) => {
        const verdict = checkSafeRegex(pattern)
        expect(verdict === undefined || typeof verdict === 'string').toBe(true)
      }),
      { numRuns: 2000 }
    )
  })

  it('accepts nothing that fails to compile', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[()a-c|*+?{}1-3,\\[\]^$.]{0,12}$/), (pattern) => {
        let compiles = true
        try {
          new RegExp(pattern, 'u')
        } catch {
          compiles = false
        }
        if (!compiles) expect(checkSafeRegex(pattern)).toBeDefined()
      }),
      { numRuns: 2000 }
    )
  })
})
