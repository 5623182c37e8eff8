import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  MAX_PATH_BYTES,
  canonicalizePath,
  decodeSegment,
  rawPathOf,
} from '../../src/routing/canonical-path'
import { ATTACK_PATHS } from './attack-paths'

/** Fixed seeds replayed on every run, besides one fresh run per property. */
const SEEDS = [1, 42, 1337, 20261127, 987654321]

function forSeeds<T extends unknown[]>(property: fc.IProperty<T>, numRuns = 300): void {
  for (const seed of SEEDS) fc.assert(property, { seed, numRuns })
  fc.assert(property, { numRuns })
}

/** Path-ish strings built from the tokens attacks are made of. */
const TOKENS = [
  '/',
  '/',
  '/',
  'a',
  'B',
  '0',
  '.',
  '..',
  '~',
  '-',
  '_',
  '%',
  '%2e',
  '%2E',
  '%2f',
  '%2F',
  '%5c',
  '%25',
  '%41',
  '%7e',
  '%3b',
  ';',
  '\\',
  '|',
  ' ',
  '!',
  '%21',
  '%c3%a9',
  'é',
  '%c0%ae',
  '%00',
  '%0d%0a',
  '\t',
  '?',
  '#',
  '%ef%bc%8f',
  '%zz',
  '%4',
  '%ff',
  '\ud83d\ude00',
  '\ud800',
  '%e2%80%a8',
]
const pathish = fc
  .array(fc.constantFrom(...TOKENS), { maxLength: 24 })
  .map((parts) => '/' + parts.join(''))
const anyPath = fc.oneof(
  pathish,
  fc.string({ unit: 'binary', maxLength: 64 }).map((s) => '/' + s),
  fc.string({ maxLength: 64 })
)

/** A decoded canonical segment may hold none of: separators, `;`, controls, a further escape. */
function isForbiddenDecoded(text: string): boolean {
  if (/[/\\;]|%[0-9A-Fa-f]{2}/.test(text)) return true
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true
  }
  return false
}

describe('workerd request.url (why canonicalizePath never sees raw dot segments from clients)', () => {
  it('resolves raw and %2e dot segments and turns \\ into / before the worker runs', () => {
    expect(new Request('https://h/a/../b').url).toBe('https://h/b')
    expect(new Request('https://h/a/%2e%2E/b').url).toBe('https://h/b')
    expect(new Request('https://h/a\\b').url).toBe('https://h/a/b')
  })

  it('keeps //, %2F, ; and bad escapes intact for canonicalizePath to refuse', () => {
    expect(rawPathOf(new Request('https://h//a//b').url)).toBe('//a//b')
    expect(rawPathOf(new Request('https://h/a%2Fb;x/%zz').url)).toBe('/a%2Fb;x/%zz')
  })
})

describe('rawPathOf', () => {
  it.each([
    ['https://h.example/a/b?q=1#f', '/a/b'],
    ['https://h.example:8443/a%2Fb', '/a%2Fb'],
    ['https://h.example', '/'],
    ['https://h.example?x=/y', '/'],
    ['http://h/a/../b', '/a/../b'],
    ['/origin/form?x', '/origin/form'],
    ['not a url', ''],
  ])('slices %s to %s without resolving anything', (url, path) => {
    expect(rawPathOf(url)).toBe(path)
  })
})

describe('canonicalizePath attack corpus', () => {
  it.each(ATTACK_PATHS.map((a) => [a.why, a] as const))('%s', (_why, attack) => {
    const result = canonicalizePath(attack.path)
    if ('reject' in attack.expect) {
      expect(result.ok, `${JSON.stringify(attack.path)} must be refused`).toBe(false)
    } else {
      expect(result).toEqual({ ok: true, value: attack.expect.canonical })
    }
  })
})

describe('canonicalizePath rules', () => {
  it('gives precise reasons for logs', () => {
    expect(canonicalizePath('/a/%2e%2e')).toEqual({ ok: false, error: 'dot segment' })
    expect(canonicalizePath('/a%2F')).toEqual({ ok: false, error: 'encoded slash in a segment' })
    expect(canonicalizePath('/a//b')).toEqual({ ok: false, error: 'empty segment (//)' })
    expect(canonicalizePath('/%2541')).toEqual({ ok: false, error: 'double percent-encoding' })
    expect(canonicalizePath('/a;b')).toEqual({ ok: false, error: 'matrix parameter (;)' })
    expect(canonicalizePath('/%c0%ae')).toEqual({
      ok: false,
      error: 'percent-encoded bytes are not valid UTF-8',
    })
  })

  it('accepts a path of exactly 8192 bytes and refuses 8193', () => {
    expect(canonicalizePath('/' + 'a'.repeat(MAX_PATH_BYTES - 1)).ok).toBe(true)
    expect(canonicalizePath('/' + 'a'.repeat(MAX_PATH_BYTES))).toEqual({
      ok: false,
      error: 'path too long',
    })
  })

  it('counts bytes, not UTF-16 units, for non-ASCII paths', () => {
    // 1 + 2 × 4096 bytes raw, and 3 × as many characters once encoded.
    expect(canonicalizePath('/' + 'é'.repeat(4096)).ok).toBe(false)
  })

  it('refuses a path whose canonical form would exceed the cap (so canon stays idempotent)', () => {
    expect(canonicalizePath('/' + '|'.repeat(3000)).ok).toBe(false)
  })

  it('refuses a 1 MB path quickly without scanning it', () => {
    expect(canonicalizePath('/' + '%2e'.repeat(350_000)).ok).toBe(false)
  })

  it('treats a trailing slash as significant', () => {
    expect(canonicalizePath('/pets/')).toEqual({ ok: true, value: '/pets/' })
    expect(canonicalizePath('/pets')).toEqual({ ok: true, value: '/pets' })
  })
})

describe('decodeSegment', () => {
  it('decodes a canonical segment once', () => {
    expect(decodeSegment('caf%C3%A9%20%3F')).toBe('café ?')
    expect(decodeSegment('plain')).toBe('plain')
  })

  it('returns malformed input unchanged instead of throwing', () => {
    expect(decodeSegment('%zz')).toBe('%zz')
    expect(decodeSegment('%C0%AE')).toBe('%C0%AE')
  })

  it('never throws on arbitrary strings', () => {
    forSeeds(fc.property(anyPath, (s) => typeof decodeSegment(s) === 'string'))
  })
})

describe('canonicalizePath properties', () => {
  it('is idempotent', () => {
    forSeeds(
      fc.property(anyPath, (raw) => {
        const once = canonicalizePath(raw)
        if (!once.ok) return true
        expect(canonicalizePath(once.value)).toEqual(once)
        return true
      })
    )
  })

  it('yields ASCII whose decoded segments hold no separator, control, escape or dot segment', () => {
    forSeeds(
      fc.property(anyPath, (raw) => {
        const r = canonicalizePath(raw)
        if (!r.ok) return true
        expect(r.value).toMatch(/^\/[\x21-\x7e]*$/)
        expect(r.value).not.toMatch(/\/\/|%[0-9A-F][a-f]|%[a-f]/)
        for (const seg of r.value.slice(1).split('/')) {
          const decoded = decodeSegment(seg)
          expect(isForbiddenDecoded(decoded), JSON.stringify(decoded)).toBe(false)
          expect(['.', '..']).not.toContain(decoded)
        }
        return true
      })
    )
  })

  it('maps every spelling of an unreserved character to the same canonical path', () => {
    const unreserved = fc.constantFrom(...'aZ09-._~'.split(''))
    forSeeds(
      fc.property(
        fc.array(fc.tuple(unreserved, fc.constantFrom('raw', 'lower', 'upper')), {
          minLength: 1,
          maxLength: 12,
        }),
        (chars) => {
          const plain = '/x' + chars.map(([c]) => c).join('')
          const spelled =
            '/x' +
            chars
              .map(([c, how]) => {
                const hex = c.charCodeAt(0).toString(16)
                return how === 'raw' ? c : '%' + (how === 'upper' ? hex.toUpperCase() : hex)
              })
              .join('')
          expect(canonicalizePath(spelled)).toEqual(canonicalizePath(plain))
          return true
        }
      )
    )
  })
})
