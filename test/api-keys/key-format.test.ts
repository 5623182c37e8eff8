import { describe, expect, it } from 'vitest'
import { hashApiKey } from '../../src/api-keys/hash'
import {
  generateApiKey,
  hasValidChecksum,
  isAcceptableSuppliedValue,
  valuePrefix,
} from '../../src/api-keys/key-format'

describe('generated API keys', () => {
  it('have the ptk_ prefix, 46 base62 characters and a valid checksum', () => {
    const key = generateApiKey()
    expect(key).toMatch(/^ptk_[0-9A-Za-z]{46}$/)
    expect(hasValidChecksum(key)).toBe(true)
  })

  it('are different every time', () => {
    const keys = new Set(Array.from({ length: 50 }, () => generateApiKey()))
    expect(keys.size).toBe(50)
  })

  it('fail the checksum when any single character is changed', () => {
    const key = generateApiKey()
    for (let i = 4; i < key.length; i++) {
      const replacement = key[i] === 'a' ? 'b' : 'a'
      const changed = key.slice(0, i) + replacement + key.slice(i + 1)
      expect(hasValidChecksum(changed)).toBe(false)
    }
  })

  it('fail the checksum when truncated, extended or with another prefix', () => {
    const key = generateApiKey()
    expect(hasValidChecksum(key.slice(0, -1))).toBe(false)
    expect(hasValidChecksum(`${key}0`)).toBe(false)
    expect(hasValidChecksum(`ptx_${key.slice(4)}`)).toBe(false)
    expect(hasValidChecksum('')).toBe(false)
  })

  it('expose only the first 8 characters as prefix', () => {
    const key = generateApiKey()
    expect(valuePrefix(key)).toBe(key.slice(0, 8))
    expect(valuePrefix(key)).toMatch(/^ptk_.{4}$/)
  })
})

describe('supplied API key values', () => {
  it('accept 20 to 128 printable characters', () => {
    expect(isAcceptableSuppliedValue('a'.repeat(20))).toEqual({ ok: true, value: 'a'.repeat(20) })
    expect(isAcceptableSuppliedValue('Z!~'.repeat(42) + 'xy').ok).toBe(true)
  })

  it('refuse values that are too short or too long', () => {
    expect(isAcceptableSuppliedValue('a'.repeat(19))).toEqual({
      ok: false,
      error: 'API key value must be 20 to 128 characters long',
    })
    expect(isAcceptableSuppliedValue('a'.repeat(129)).ok).toBe(false)
  })

  it('refuse spaces, control and non-ASCII characters', () => {
    expect(isAcceptableSuppliedValue(`${'a'.repeat(20)} b`).ok).toBe(false)
    expect(isAcceptableSuppliedValue(`${'a'.repeat(20)}\n`).ok).toBe(false)
    expect(isAcceptableSuppliedValue(`${'a'.repeat(20)}é`).ok).toBe(false)
  })

  it('refuse a ptk_ value with a wrong checksum but accept a real Portico key', () => {
    expect(isAcceptableSuppliedValue(`ptk_${'a'.repeat(46)}`).ok).toBe(false)
    const key = generateApiKey()
    expect(isAcceptableSuppliedValue(key)).toEqual({ ok: true, value: key })
  })
})

describe('hashApiKey', () => {
  it('is SHA-256 in lower-case hex', async () => {
    expect(await hashApiKey('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    )
  })

  it('differs for values that differ in one character', async () => {
    expect(await hashApiKey('a'.repeat(20))).not.toBe(await hashApiKey(`${'a'.repeat(19)}b`))
  })
})
