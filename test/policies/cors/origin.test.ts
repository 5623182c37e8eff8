import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { corsStateOf } from '../../../src/policies/cors/cors-state'
import { allowOriginFor } from '../../../src/policies/cors/cors-headers'
import { parseOrigin } from '../../../src/policies/cors/origin'
import { makeApi } from '../../support/seed'

function canonical(text: string): string | undefined {
  const parsed = parseOrigin(text)
  return parsed.ok ? parsed.origin : undefined
}

function stateFor(allowOrigins: string[], allowCredentials = false) {
  const api = makeApi('tcors00001', {
    protocolType: 'HTTP',
    routes: [],
    integrations: [],
    apiExtras: { corsConfiguration: { allowOrigins, allowCredentials } },
  })
  const state = corsStateOf(api)
  if (state === undefined) throw new Error('no CORS state')
  return state
}

describe('parseOrigin', () => {
  it.each([
    ['https://example.com', 'https://example.com'],
    ['https://EXAMPLE.com', 'https://example.com'],
    ['HTTPS://example.com', 'https://example.com'],
    ['https://example.com:443', 'https://example.com'],
    ['http://example.com:80', 'http://example.com'],
    ['https://example.com:8443', 'https://example.com:8443'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
    ['https://example.com.', 'https://example.com.'],
  ])('canonicalizes %s to %s', (text, expected) => {
    expect(canonical(text)).toBe(expected)
  })

  it.each([
    ['null', 'null'],
    ['NULL', 'null'],
    ['https://example.com/', 'not scheme://host[:port]'],
    ['https://example.com/path', 'not scheme://host[:port]'],
    ['https://example.com?q', 'not scheme://host[:port]'],
    ['https://example.com#f', 'not scheme://host[:port]'],
    ['https://user@example.com', 'not scheme://host[:port]'],
    ['https://user:pw@example.com', 'not scheme://host[:port]'],
    ['https://example.com\\@evil.com', 'not scheme://host[:port]'],
    ['https://exa mple.com', 'not scheme://host[:port]'],
    [' https://example.com', 'not scheme://host[:port]'],
    ['https:example.com', 'not scheme://host[:port]'],
    ['//example.com', 'not scheme://host[:port]'],
    ['example.com', 'not scheme://host[:port]'],
    ['https://', 'not scheme://host[:port]'],
    ['https://example.com:99999', 'not scheme://host[:port]'],
    ['https://*.example.com', 'not scheme://host[:port]'],
    ['file://host', 'not an http(s) origin'],
    ['chrome-extension://abcdef', 'not an http(s) origin'],
    ['javascript://example.com', 'not an http(s) origin'],
    [`https://${'a'.repeat(600)}.com`, 'too long'],
  ])('refuses %j (%s)', (text, problem) => {
    expect(parseOrigin(text)).toEqual({ ok: false, problem })
  })
})

describe('allowOriginFor: exact allow-list', () => {
  const state = stateFor(['https://example.com', 'http://localhost:3000'], true)

  it('echoes a listed origin in canonical form', () => {
    expect(allowOriginFor(state, 'https://example.com')).toBe('https://example.com')
    expect(allowOriginFor(state, 'https://EXAMPLE.COM')).toBe('https://example.com')
    expect(allowOriginFor(state, 'http://localhost:3000')).toBe('http://localhost:3000')
  })

  it.each([
    'https://example.com.evil.com',
    'https://evilexample.com',
    'https://example.co',
    'https://example.comm',
    'https://sub.example.com',
    'https://example.com.',
    'http://example.com',
    'https://example.com:444',
    'https://example.com:8443',
    'http://localhost:3001',
    'http://localhost',
    'https://localhost:3000',
    'https://exаmple.com',
    'https://xn--exmple-4nf.com',
    'https://example.com/',
    'https://example.com, https://evil.com',
    'https://evil.com https://example.com',
    'null',
    '',
    '*',
  ])('refuses the look-alike %j', (origin) => {
    expect(allowOriginFor(state, origin)).toBeUndefined()
  })

  it('refuses a missing Origin', () => {
    expect(allowOriginFor(state, null)).toBeUndefined()
  })

  it('never matches a random string unless it canonicalizes to a listed origin', () => {
    const listed = new Set(['https://example.com', 'http://localhost:3000'])
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.webUrl(),
          fc
            .constantFrom(...listed)
            .chain((o) =>
              fc
                .tuple(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }))
                .map(([a, b]) => a + o + b)
            ),
          fc.domain().map((d) => `https://${d}`)
        ),
        (origin) => {
          const answer = allowOriginFor(state, origin)
          const normal = canonical(origin)
          if (normal !== undefined && listed.has(normal)) expect(answer).toBe(normal)
          else expect(answer).toBeUndefined()
        }
      ),
      { numRuns: 2000 }
    )
  })

  it('answers a random allowed origin only with its own canonical form', () => {
    fc.assert(
      fc.property(fc.domain(), fc.domain(), (a, b) => {
        const s = stateFor([`https://${a}`])
        const mine = canonical(`https://${a}`)
        expect(allowOriginFor(s, `https://${a}`)).toBe(mine)
        if (canonical(`https://${b}`) !== mine) {
          expect(allowOriginFor(s, `https://${b}`)).toBeUndefined()
        }
      }),
      { numRuns: 300 }
    )
  })
})

describe('allowOriginFor: wildcards', () => {
  it('answers * for any well-formed origin when allowOrigins is ["*"] without credentials', () => {
    const state = stateFor(['*'])
    expect(allowOriginFor(state, 'https://anything.example')).toBe('*')
    expect(allowOriginFor(state, 'null')).toBeUndefined()
    expect(allowOriginFor(state, 'garbage')).toBeUndefined()
  })

  it('echoes any origin of the scheme for https://* and refuses the other scheme', () => {
    const state = stateFor(['https://*'])
    expect(allowOriginFor(state, 'https://a.example')).toBe('https://a.example')
    expect(allowOriginFor(state, 'http://a.example')).toBeUndefined()
    expect(allowOriginFor(state, 'null')).toBeUndefined()
  })

  it('turns CORS off (allows nothing) when * is loaded with credentials', () => {
    const state = stateFor(['*', 'https://example.com'], true)
    expect(allowOriginFor(state, 'https://example.com')).toBeUndefined()
    expect(allowOriginFor(state, 'https://other.example')).toBeUndefined()
  })
})
