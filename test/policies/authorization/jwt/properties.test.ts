import fc from 'fast-check'
import { base64url } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  extractToken,
  MAX_TOKEN_LENGTH,
} from '../../../../src/policies/authorization/jwt/bearer-token'
import {
  freshPath,
  handlerFor,
  jwtAuthorizer,
  mint,
  outcome,
  serveJwks,
  signingKey,
  testState,
  type SigningKey,
} from './support'

const text = new TextEncoder()
const b64 = (value: string): string => base64url.encode(text.encode(value))

/** Header-safe text: what a client can put in an Authorization header. */
const headerText = fc.string({
  unit: fc.constantFrom(
    ...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)),
    '\t'
  ),
  maxLength: 300,
})

const base64urlSegment = fc.string({
  unit: fc.constantFrom(
    ...Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')
  ),
  maxLength: 80,
})

/** Stored corpus, replayed on every run before the random cases. */
const CORPUS = [
  '',
  ' ',
  'Bearer',
  'Bearer ',
  'bearer\t',
  '...',
  'a.b.c',
  'a..c',
  '.b.c',
  'a.b.c.d.e',
  'Bearer a.b.c.d.e',
  '{"payload":"e30","signature":"x"}',
  'eyJhbGciOiJub25lIn0.e30.',
  'eyJhbGciOiJIUzI1NiJ9.e30.c2ln',
  'Bearer Bearer a.b.c',
  'Basic dXNlcjpwYXNz',
]

let key: SigningKey
let valid: string
let policy: ReturnType<typeof handlerFor>

beforeAll(async () => {
  key = await signingKey('RS256')
  const path = freshPath()
  await serveJwks(path, [key.publicJwk])
  valid = await mint(key, { claims: { exp: Math.floor(Date.now() / 1000) + 86_400 } })
  policy = handlerFor(jwtAuthorizer(path), testState())
})

describe('bearer token parser (property-based)', () => {
  it('never throws, and only returns three non-empty base64url segments within the cap', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), headerText), (value) => {
        const token = extractToken(value)
        if (token.ok) {
          expect(token.value.length).toBeLessThanOrEqual(MAX_TOKEN_LENGTH)
          expect(token.value).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
        }
      }),
      { numRuns: 500, examples: CORPUS.map((value) => [value]) }
    )
  })

  it('strips a Bearer prefix in any letter case with any run of spaces or tabs', () => {
    const prefix = fc
      .tuple(
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.string({ unit: fc.constantFrom(' ', '\t'), minLength: 1, maxLength: 4 })
      )
      .map(([upper, gap]) => {
        const word = Array.from('bearer').map((c, i) => (upper[i] === true ? c.toUpperCase() : c))
        return `${word.join('')}${gap}`
      })
    fc.assert(
      fc.property(prefix, base64urlSegment, (p, tail) => {
        const token = `${b64('{"alg":"RS256"}')}.${b64('{}')}.x${tail}`
        expect(extractToken(`${p}${token}`)).toEqual({ ok: true, value: token })
      }),
      { numRuns: 200 }
    )
  })

  it('refuses anything longer than the cap before looking at it', () => {
    fc.assert(
      fc.property(fc.integer({ min: MAX_TOKEN_LENGTH + 1, max: MAX_TOKEN_LENGTH * 4 }), (n) => {
        const token = extractToken(`${'a'.repeat(n - 4)}.b.c`)
        expect(token.ok).toBe(false)
      }),
      { numRuns: 50 }
    )
  })
})

describe('JWT policy on arbitrary input (property-based)', () => {
  it('answers 401 to any header value that is not the valid token, and never throws otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(headerText, fc.constantFrom(...CORPUS)), async (value) => {
        const result = await outcome(policy.handler, policy.ctxFor(value))
        expect(result).toBe('UNAUTHORIZED')
      }),
      { numRuns: 300 }
    )
  })

  it('answers 401 to token-shaped input with arbitrary headers, payloads and signatures', async () => {
    const header = fc.oneof(
      fc.json({ maxDepth: 2 }),
      fc
        .record({
          alg: fc.constantFrom('RS256', 'none', 'HS256', 'ES256', 'PS256', 'EdDSA', ''),
          kid: fc.oneof(fc.constant(key.kid), fc.string({ maxLength: 40 })),
          jku: fc.constantFrom(undefined, 'http://127.0.0.1:1/jwks'),
          crit: fc.constantFrom(undefined, ['b64'], ['exp']),
          b64: fc.constantFrom(undefined, false),
        })
        .map((h) => JSON.stringify(h))
    )
    await fc.assert(
      fc.asyncProperty(header, fc.json({ maxDepth: 2 }), base64urlSegment, async (h, p, sig) => {
        const token = `${b64(h)}.${b64(p)}.${sig === '' ? 'A' : sig}`
        const result = await outcome(policy.handler, policy.ctxFor(`Bearer ${token}`))
        expect(result).toBe('UNAUTHORIZED')
      }),
      { numRuns: 300 }
    )
  })

  it('refuses every one-character change to a valid token', async () => {
    expect(await outcome(policy.handler, policy.ctxFor(`Bearer ${valid}`))).toBe('passed')
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'
    // The last character of the signature segment may carry unused bits (a different character
    // can decode to the same bytes); every other position changes what is verified.
    const last = valid.length - 1
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: last - 1 }),
        fc.constantFrom(...Array.from(alphabet)),
        async (at, replacement) => {
          fc.pre(valid[at] !== replacement)
          const mutated = `${valid.slice(0, at)}${replacement}${valid.slice(at + 1)}`
          const result = await outcome(policy.handler, policy.ctxFor(`Bearer ${mutated}`))
          expect(result).toBe('UNAUTHORIZED')
        }
      ),
      { numRuns: 300 }
    )
  })
})
