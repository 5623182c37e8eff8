import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkUpstreamUrl } from '../../src/config/upstream-url'
import { parseConfigText } from '../../src/config/validate'

const PRIVATE_V4: [number, number][] = [
  [0x00000000, 8],
  [0x0a000000, 8],
  [0x64400000, 10],
  [0x7f000000, 8],
  [0xa9fe0000, 16],
  [0xac100000, 12],
  [0xc0a80000, 16],
  [0xc6120000, 15],
  [0xe0000000, 4],
  [0xf0000000, 4],
]

/** An address inside one of the private/reserved blocks. */
const privateV4 = fc
  .constantFrom(...PRIVATE_V4)
  .chain(([base, bits]) =>
    fc.integer({ min: 0, max: 2 ** (32 - bits) - 1 }).map((offset) => base + offset)
  )

/** The notations the WHATWG host parser accepts for the same address. */
function notations(n: number): string[] {
  const bytes = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]
  return [
    bytes.join('.'),
    String(n),
    `0x${n.toString(16)}`,
    `0${n.toString(8)}`,
    bytes.map((b) => `0x${b.toString(16)}`).join('.'),
    bytes.map((b) => `0${b.toString(8)}`).join('.'),
    `${String(bytes[0])}.${String(n & 0xffffff)}`,
    `${String(bytes[0])}.${String(bytes[1])}.${String(n & 0xffff)}`,
    `${bytes.join('.')}.`,
    `[::ffff:${bytes.join('.')}]`,
  ]
}

describe('SSRF guard under every IPv4 notation', () => {
  it('refuses a private address in every notation, with or without allowLoopback for non-127', () => {
    fc.assert(
      fc.property(privateV4, (n) => {
        const loopback = n >>> 24 === 127
        for (const host of notations(n)) {
          expect(checkUpstreamUrl(`http://${host}/x`, { allowLoopback: false }).ok).toBe(false)
          const mapped = host.startsWith('[')
          const withLoopback = checkUpstreamUrl(`http://${host}/x`, { allowLoopback: true }).ok
          expect(withLoopback).toBe(loopback && !mapped)
        }
      }),
      { numRuns: 300 }
    )
  })

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), fc.boolean(), (text, allowLoopback) => {
        checkUpstreamUrl(text, { allowLoopback })
        checkUpstreamUrl(`http://${text}`, { allowLoopback })
      }),
      { numRuns: 500 }
    )
  })
})

describe('parseConfigText on hostile input', () => {
  it('never throws and always explains a refusal', () => {
    const kinds = fc.constantFrom('api', 'deployment', 'stage', 'domain' as const)
    const texts = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify(v))
    )
    fc.assert(
      fc.property(texts, kinds, (text, kind) => {
        const result = parseConfigText(text, kind)
        if (!result.ok) {
          expect(result.error.length).toBeGreaterThan(0)
          for (const issue of result.error) expect(issue.message).not.toBe('')
        }
      }),
      { numRuns: 300 }
    )
  })
})
