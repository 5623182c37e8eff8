import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { daysInMonth, periodEnd, periodStart, utcDay } from '../../src/rate-limit/quota-period'
import type { QuotaPeriod } from '../../src/rate-limit/types'

const at = (iso: string) => Date.parse(iso)

describe('quota periods', () => {
  it.each([
    ['DAY', 0, '2024-02-29T13:00:00Z', '2024-02-29', '2024-03-01'],
    ['DAY', 0, '2023-12-31T23:59:59.999Z', '2023-12-31', '2024-01-01'],
    ['DAY', 0, '2024-01-01T00:00:00Z', '2024-01-01', '2024-01-02'],
    ['WEEK', 0, '2024-01-03T10:00:00Z', '2023-12-31', '2024-01-07'],
    ['WEEK', 1, '2024-01-03T10:00:00Z', '2024-01-01', '2024-01-08'],
    ['WEEK', 3, '2024-01-03T00:00:00Z', '2024-01-03', '2024-01-10'],
    ['WEEK', 3, '2024-01-02T23:59:59.999Z', '2023-12-27', '2024-01-03'],
    ['WEEK', 6, '2024-03-01T00:00:00Z', '2024-02-24', '2024-03-02'],
    ['MONTH', 0, '2024-02-15T00:00:00Z', '2024-02-01', '2024-03-01'],
    ['MONTH', 0, '2023-12-31T23:59:59.999Z', '2023-12-01', '2024-01-01'],
    ['MONTH', 5, '2024-01-03T00:00:00Z', '2023-12-06', '2024-01-06'],
    ['MONTH', 27, '2023-02-27T00:00:00Z', '2023-01-28', '2023-02-28'],
    ['MONTH', 27, '2023-02-28T00:00:00Z', '2023-02-28', '2023-03-28'],
    ['MONTH', 28, '2023-03-01T00:00:00Z', '2023-02-28', '2023-03-29'],
    ['MONTH', 28, '2024-02-29T00:00:00Z', '2024-02-29', '2024-03-29'],
    ['MONTH', 30, '2023-02-15T00:00:00Z', '2023-01-31', '2023-02-28'],
    ['MONTH', 30, '2023-03-15T00:00:00Z', '2023-02-28', '2023-03-31'],
    ['MONTH', 30, '2024-02-29T12:00:00Z', '2024-02-29', '2024-03-31'],
    ['MONTH', 30, '2024-04-30T12:00:00Z', '2024-04-30', '2024-05-31'],
  ] as const)('%s offset %i at %s runs %s → %s', (period, offset, now, start, end) => {
    const quota = { period, offset }
    expect(new Date(periodStart(at(now), quota)).toISOString().slice(0, 10)).toBe(start)
    expect(periodStart(at(now), quota)).toBe(at(`${start}T00:00:00Z`))
    expect(periodEnd(at(now), quota)).toBe(at(`${end}T00:00:00Z`))
  })

  it('knows month lengths and leap years', () => {
    expect(daysInMonth(2024, 1)).toBe(29)
    expect(daysInMonth(2023, 1)).toBe(28)
    expect(daysInMonth(2000, 1)).toBe(29)
    expect(daysInMonth(1900, 1)).toBe(28)
    expect(daysInMonth(2023, 11)).toBe(31)
    expect(daysInMonth(2023, 3)).toBe(30)
  })

  it('tiles time: every instant lies in [start, end) and the next period starts at end', () => {
    const period = fc.constantFrom<QuotaPeriod>('DAY', 'WEEK', 'MONTH')
    const instant = fc.integer({ min: at('1999-01-01T00:00:00Z'), max: at('2101-01-01T00:00:00Z') })
    fc.assert(
      fc.property(instant, period, fc.integer({ min: 0, max: 40 }), (now, p, offset) => {
        const quota = { period: p, offset }
        const start = periodStart(now, quota)
        const end = periodEnd(now, quota)
        expect(start).toBeLessThanOrEqual(now)
        expect(end).toBeGreaterThan(now)
        expect(periodStart(end, quota)).toBe(end)
        expect(periodEnd(end - 1, quota)).toBe(end)
        expect(periodStart(start, quota)).toBe(start)
      })
    )
  })

  it('names the UTC day of an instant', () => {
    expect(utcDay(at('2024-02-29T23:59:59.999Z'))).toBe('2024-02-29')
    expect(utcDay(at('2024-03-01T00:00:00Z'))).toBe('2024-03-01')
  })
})
