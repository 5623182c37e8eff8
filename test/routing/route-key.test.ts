import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseRouteKey } from '../../src/routing/route-key'

describe('parseRouteKey', () => {
  it('parses $default', () => {
    expect(parseRouteKey('$default')).toEqual({ ok: true, value: { kind: 'default' } })
  })

  it('parses the root resource with no segments', () => {
    expect(parseRouteKey('GET /')).toEqual({
      ok: true,
      value: { kind: 'route', method: 'GET', path: '/', segments: [] },
    })
  })

  it('parses literals, a parameter and a trailing greedy parameter', () => {
    expect(parseRouteKey('ANY /v1/{petId}/files/{proxy+}')).toEqual({
      ok: true,
      value: {
        kind: 'route',
        method: 'ANY',
        path: '/v1/{petId}/files/{proxy+}',
        segments: [
          { kind: 'literal', value: 'v1' },
          { kind: 'param', name: 'petId' },
          { kind: 'literal', value: 'files' },
          { kind: 'greedy', name: 'proxy' },
        ],
      },
    })
  })

  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'])(
    'accepts the method %s',
    (method) => {
      expect(parseRouteKey(`${method} /x`).ok).toBe(true)
    }
  )

  it('keeps RFC 3986 sub-delims, colons and non-ASCII letters in literals', () => {
    expect(parseRouteKey("GET /a:b@c/!$&'()*+,=/café/~x.y_z-1").ok).toBe(true)
  })

  it.each([
    ['', 'route key must be "METHOD /path" or "$default"'],
    ['GET', 'route key must be "METHOD /path" or "$default"'],
    ['$connect', 'route key must be "METHOD /path" or "$default"'],
    ['get /pets', 'method "get" must be upper-case'],
    ['FETCH /pets', 'unknown method "FETCH"'],
    ['GET  /pets', 'exactly one space must separate method and path'],
    ['GET pets', 'route path must start with /'],
    ['GET /pets/', 'route path must not end with /'],
    ['GET /pets//x', 'empty segment (//)'],
    ['GET //pets', 'empty segment (//)'],
    ['GET /pets/{id', 'unclosed parameter "{id"'],
    ['GET /pets/{}', 'empty parameter name in "{}"'],
    ['GET /pets/{+}', 'empty parameter name in "{+}"'],
    ['GET /pets/{a b}', 'illegal parameter name "a b" (use A-Z a-z 0-9 _ . -)'],
    ['GET /pets/{a{b}', 'illegal parameter name "a{b" (use A-Z a-z 0-9 _ . -)'],
    ['GET /{proxy+}/x', 'greedy parameter {proxy+} must be the last segment'],
    ['GET /{id}/x/{id}', 'duplicate parameter name "id"'],
    ['GET /{id}/{id+}', 'duplicate parameter name "id"'],
    [
      'GET /pets/{id}.json',
      '"{" or "}" inside the literal segment "{id}.json" (a parameter must be a whole segment)',
    ],
    [
      'GET /pets/x{id}',
      '"{" or "}" inside the literal segment "x{id}" (a parameter must be a whole segment)',
    ],
    ['GET /a/../b', 'dot segment'],
    ['GET /a/.', 'dot segment'],
    ['GET /a%2Fb', 'percent-encoding in a route path (write the character itself)'],
    ['GET /a;b', 'illegal character ; in segment "a;b"'],
    ['GET /a\\b', 'illegal character \\ in segment "a\\b"'],
    ['GET /a b', 'illegal character U+0020 in segment "a b"'],
    ['GET /a\u0000', 'illegal character U+0000 in segment "a\u0000"'],
    ['GET /a?x', 'illegal character ? in segment "a?x"'],
    ['GET /a\u0085', 'illegal character \u0085 in segment "a\u0085"'],
    ['GET /a\ud800', 'illegal character \ud800 in segment "a\ud800"'],
  ])('refuses %j with a precise reason', (key, reason) => {
    expect(parseRouteKey(key)).toEqual({ ok: false, error: reason })
  })

  it('refuses a path longer than 8192 characters', () => {
    expect(parseRouteKey('GET /' + 'a'.repeat(8192))).toEqual({
      ok: false,
      error: 'route path too long',
    })
  })

  it('never throws, and every accepted template has only non-empty literals', () => {
    const key = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc
        .array(fc.constantFrom('/', '{', '}', '+', 'a', 'id', '.', '%', ' ', ';', '{p}', '{q+}'), {
          maxLength: 12,
        })
        .map((parts) => 'GET /' + parts.join(''))
    )
    for (const seed of [1, 42, 20261127]) {
      fc.assert(
        fc.property(key, (k) => {
          const r = parseRouteKey(k)
          if (r.ok && r.value.kind === 'route') {
            for (const s of r.value.segments) if (s.kind === 'literal') expect(s.value).not.toBe('')
          }
          return true
        }),
        { seed, numRuns: 500 }
      )
    }
  })
})
