import { describe, expect, it } from 'vitest'
import { parseDay, usageRange, usageValues } from '../../src/api-keys/usage-values'

function range(start: string, end: string): { start: number; end: number } {
  const r = usageRange(start, end)
  if (!r.ok) throw new Error(r.error)
  return r.value
}

describe('usage ranges', () => {
  it('accept real dates only', () => {
    expect(parseDay('2024-02-29')).not.toBeNull()
    expect(parseDay('2023-02-29')).toBeNull()
    expect(parseDay('2024-13-01')).toBeNull()
    expect(parseDay('2024-1-01')).toBeNull()
    expect(parseDay('yesterday')).toBeNull()
  })

  it('refuse an end before the start and spans over 366 days', () => {
    expect(usageRange('2024-03-02', '2024-03-01').ok).toBe(false)
    expect(usageRange('2023-01-01', '2024-12-31').ok).toBe(false)
    expect(usageRange('2024-01-01', '2024-12-31').ok).toBe(true)
  })
})

describe('usage values', () => {
  it('gives one [used, remaining] pair per day with a DAY quota', () => {
    const values = usageValues(
      ['k1'],
      [
        { keyId: 'k1', day: '2024-03-01', used: 3 },
        { keyId: 'k1', day: '2024-03-03', used: 10 },
      ],
      range('2024-03-01', '2024-03-03'),
      { limit: 10, period: 'DAY', offset: 0 }
    )
    expect(values).toEqual({
      k1: [
        [3, 7],
        [0, 10],
        [10, 0],
      ],
    })
  })

  it('counts days before startDate that fall in the same WEEK period', () => {
    // 2024-03-03 is a Sunday: with offset 0 weeks start on Sunday (AWS).
    const values = usageValues(
      ['k1'],
      [
        { keyId: 'k1', day: '2024-03-04', used: 4 },
        { keyId: 'k1', day: '2024-03-06', used: 1 },
        { keyId: 'k1', day: '2024-03-10', used: 2 },
      ],
      range('2024-03-06', '2024-03-10'),
      { limit: 100, period: 'WEEK', offset: 0 }
    )
    expect(values.k1).toEqual([
      [1, 95],
      [0, 95],
      [0, 95],
      [0, 95],
      [2, 98],
    ])
  })

  it('reports 0 remaining without a quota and zeros for keys without rows', () => {
    const values = usageValues(
      ['a', 'b'],
      [{ keyId: 'a', day: '2024-01-01', used: 5 }],
      range('2024-01-01', '2024-01-02'),
      undefined
    )
    expect(values).toEqual({
      a: [
        [5, 0],
        [0, 0],
      ],
      b: [
        [0, 0],
        [0, 0],
      ],
    })
  })
})
