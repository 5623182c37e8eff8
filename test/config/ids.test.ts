import { describe, expect, it } from 'vitest'
import { isApiId, newApiId, newResourceId } from '../../src/config/ids'

describe('ids', () => {
  it('makes API ids of 10 characters [a-z0-9] that isApiId accepts', () => {
    for (let i = 0; i < 200; i++) {
      const id = newApiId()
      expect(id).toMatch(/^[a-z0-9]{10}$/)
      expect(isApiId(id)).toBe(true)
    }
  })

  it('makes resource ids of 6–10 characters, 8 by default', () => {
    expect(newResourceId()).toMatch(/^[a-z0-9]{8}$/)
    expect(newResourceId(6)).toMatch(/^[a-z0-9]{6}$/)
    expect(newResourceId(10)).toMatch(/^[a-z0-9]{10}$/)
    expect(() => newResourceId(5)).toThrow(RangeError)
    expect(() => newResourceId(11)).toThrow(RangeError)
    expect(() => newResourceId(7.5)).toThrow(RangeError)
  })

  it('uses every character of the alphabet and does not repeat ids', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => newApiId()))
    expect(ids.size).toBe(2000)
    const chars = new Set([...ids].join(''))
    expect(chars.size).toBe(36)
  })

  it('spreads characters evenly (no modulo bias towards the first letters)', () => {
    let firstFour = 0
    for (let i = 0; i < 36_000; i++) {
      for (const c of newApiId()) if (c <= 'd' && c >= 'a') firstFour++
    }
    // 360 000 draws: 40 000 expected for a–d (sd ≈ 196). Taking byte % 36 without rejection
    // would favour them (8/256 instead of 7/256 each): ≈ 45 000.
    expect(Math.abs(firstFour - 40_000)).toBeLessThan(1_200)
  })

  it.each([
    ['abc123defg', true],
    ['ABC123DEFG', false],
    ['abc123def', false],
    ['abc123defgh', false],
    [42, false],
    [null, false],
  ])('isApiId(%j) is %s', (value, expected) => {
    expect(isApiId(value)).toBe(expected)
  })
})
