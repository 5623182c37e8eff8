import { describe, expect, it } from 'vitest'
import {
  bucketName,
  consumeStep,
  DEFAULT_BUCKET,
  EMPTY_STATE,
  loadState,
  MAX_BUCKET_NAME_LENGTH,
  MAX_BUCKETS,
} from '../../src/rate-limit/limiter-state'

const T0 = Date.parse('2024-03-10T12:00:00Z')
const throttle = { burstLimit: 2, rateLimit: 0 }

describe('limiter state buckets', () => {
  it('serves an absent, empty, non-string or over-long name from the default bucket', () => {
    expect(bucketName(EMPTY_STATE, undefined)).toBe(DEFAULT_BUCKET)
    expect(bucketName(EMPTY_STATE, '')).toBe(DEFAULT_BUCKET)
    expect(bucketName(EMPTY_STATE, 42)).toBe(DEFAULT_BUCKET)
    expect(bucketName(EMPTY_STATE, `/${'a'.repeat(MAX_BUCKET_NAME_LENGTH)}`)).toBe(DEFAULT_BUCKET)
    expect(bucketName(EMPTY_STATE, '/pets/GET')).toBe('/pets/GET')
  })

  it('counts only named buckets against the cap, and keeps known names past it', () => {
    const buckets = Object.fromEntries(
      Array.from({ length: MAX_BUCKETS }, (_, i) => [
        `/m${String(i)}/GET`,
        { tokens: 1, updatedAt: T0 },
      ])
    )
    const full = {
      ...EMPTY_STATE,
      buckets: { ...buckets, [DEFAULT_BUCKET]: { tokens: 0, updatedAt: T0 } },
    }
    expect(bucketName(full, '/new/GET')).toBe(DEFAULT_BUCKET)
    expect(bucketName(full, '/m3/GET')).toBe('/m3/GET')
    const roomForOne = { ...EMPTY_STATE, buckets: { ...buckets } }
    delete roomForOne.buckets['/m0/GET']
    expect(bucketName(roomForOne, '/new/GET')).toBe('/new/GET')
  })

  it('loads a legacy single bucket as the default bucket, keeping a newer one', () => {
    const legacy = { bucket: { tokens: 1, updatedAt: T0 }, usage: [], leases: [] }
    const loaded = loadState(legacy)
    expect(loaded).toEqual({ buckets: { '': { tokens: 1, updatedAt: T0 } }, usage: [], leases: [] })
    const both = loadState({ ...legacy, buckets: { '': { tokens: 2, updatedAt: T0 } } })
    expect(both.buckets['']).toEqual({ tokens: 2, updatedAt: T0 })
    expect(loadState(undefined)).toEqual(EMPTY_STATE)
  })

  it('debits only the named bucket', () => {
    const step = consumeStep(EMPTY_STATE, { throttle, bucket: '/pets/GET' }, T0)
    expect(step.result).toMatchObject({ allowed: true, remaining: 1 })
    expect(step.state.buckets).toEqual({ '/pets/GET': { tokens: 1, updatedAt: T0 } })
    const plain = consumeStep(step.state, { throttle }, T0)
    expect(plain.result).toMatchObject({ allowed: true, remaining: 1 })
    expect(EMPTY_STATE.buckets).toEqual({})
  })
})
