import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ProtocolType, RouteConfig } from '../../src/config/types'
import { canonicalizePath } from '../../src/routing/canonical-path'
import { compileRouteTable, type RouteTable } from '../../src/routing/route-table'

const SEEDS = [1, 42, 1337, 20261127, 987654321]

function routes(keys: readonly string[]): RouteConfig[] {
  return keys.map((routeKey, i) => ({ id: `r${String(i)}`, routeKey }))
}

function table(keys: readonly string[], protocol: ProtocolType = 'HTTP'): RouteTable {
  const compiled = compileRouteTable(routes(keys), protocol)
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.error))
  return compiled.value
}

/** Route key chosen for (method, raw path), or undefined. */
function chosen(t: RouteTable, method: string, rawPath: string): string | undefined {
  const canonical = canonicalizePath(rawPath)
  if (!canonical.ok) throw new Error(canonical.error)
  return t.match(method, canonical.value)?.route.routeKey
}

describe('AWS HTTP API route precedence (developer guide, "Routing API requests")', () => {
  const aws = table([
    'GET /pets/dog/1',
    'GET /pets/dog/{id}',
    'GET /pets/{proxy+}',
    'ANY /{proxy+}',
    '$default',
  ])

  it.each([
    ['GET', '/pets/dog/1', 'GET /pets/dog/1'],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}'],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}'],
    ['POST', '/pets/dog/1', 'ANY /{proxy+}'],
    ['GET', '/', '$default'],
    ['GET', '/Pets/dog/1', 'ANY /{proxy+}'],
  ])('%s %s → %s', (method, path, routeKey) => {
    expect(chosen(aws, method, path)).toBe(routeKey)
  })
})

describe('segment precedence: literal > {param} > {proxy+}, with backtracking', () => {
  it('prefers the literal segment at the first point where routes differ', () => {
    const t = table(['GET /a/{x}/c', 'GET /a/b/{y}'])
    expect(chosen(t, 'GET', '/a/b/c')).toBe('GET /a/b/{y}')
    expect(chosen(t, 'GET', '/a/z/c')).toBe('GET /a/{x}/c')
  })

  it('backtracks to the parameter branch when the literal branch dead-ends', () => {
    const t = table(['GET /a/{x}/c', 'GET /a/b/{y}/d'])
    expect(t.match('GET', '/a/b/c')).toEqual({
      route: { id: 'r0', routeKey: 'GET /a/{x}/c' },
      pathParameters: { x: 'b' },
      resourcePath: '/a/{x}/c',
    })
  })

  it('backtracks to a greedy route when a parameter branch has no route for the method', () => {
    const t = table(['GET /files/{id}', 'ANY /files/{proxy+}'])
    expect(chosen(t, 'DELETE', '/files/1')).toBe('ANY /files/{proxy+}')
    expect(chosen(t, 'GET', '/files/1')).toBe('GET /files/{id}')
  })

  it('prefers {param} over {proxy+} for one segment in HTTP APIs', () => {
    const t = table(['GET /items/{itemId}', 'GET /items/{proxy+}'])
    expect(chosen(t, 'GET', '/items/123')).toBe('GET /items/{itemId}')
    expect(chosen(t, 'GET', '/items/123/x')).toBe('GET /items/{proxy+}')
  })

  it('is case-sensitive', () => {
    const t = table(['GET /Pets'], 'REST')
    expect(chosen(t, 'GET', '/Pets')).toBe('GET /Pets')
    expect(chosen(t, 'GET', '/pets')).toBeUndefined()
  })
})

describe('methods', () => {
  const t = table(['GET /pets', 'ANY /pets', 'POST /pets/{id}', 'ANY /only-any'])

  it('prefers the method-specific route over ANY', () => {
    expect(chosen(t, 'GET', '/pets')).toBe('GET /pets')
    expect(chosen(t, 'DELETE', '/pets')).toBe('ANY /pets')
  })

  it('serves HEAD with the GET route, then ANY', () => {
    expect(chosen(t, 'HEAD', '/pets')).toBe('GET /pets')
    expect(chosen(t, 'HEAD', '/only-any')).toBe('ANY /only-any')
    expect(chosen(t, 'HEAD', '/pets/1')).toBeUndefined()
  })

  it('prefers an explicit HEAD route over GET', () => {
    expect(chosen(table(['GET /x', 'HEAD /x']), 'HEAD', '/x')).toBe('HEAD /x')
  })

  it('compares methods exactly (a lower-case method matches no route, not even ANY)', () => {
    expect(chosen(t, 'get', '/pets')).toBeUndefined()
    expect(chosen(t, 'post', '/pets/1')).toBeUndefined()
  })

  it.each(['TRACE', 'CONNECT', 'ANY', 'PROPFIND', 'FOO'])(
    'never lets ANY or $default serve the %s method (AWS serves seven methods only)',
    (method) => {
      expect(chosen(t, method, '/pets')).toBeUndefined()
      expect(chosen(t, method, '/only-any')).toBeUndefined()
      expect(chosen(table(['$default']), method, '/anything')).toBeUndefined()
    }
  )
})

describe('paths', () => {
  it('matches the root resource only for /', () => {
    const t = table(['GET /', 'GET /{proxy+}'], 'REST')
    expect(chosen(t, 'GET', '/')).toBe('GET /')
    expect(chosen(t, 'GET', '/a')).toBe('GET /{proxy+}')
  })

  it('needs at least one segment for a greedy parameter', () => {
    const t = table(['ANY /files/{proxy+}'], 'REST')
    expect(chosen(t, 'GET', '/files')).toBeUndefined()
    expect(chosen(t, 'GET', '/files/')).toBeUndefined()
    expect(t.match('GET', '/files/a/b%20c/')?.pathParameters).toEqual({ proxy: 'a/b c/' })
  })

  it('keeps the trailing slash significant', () => {
    const t = table(['GET /pets', 'GET /pets/{id}'], 'REST')
    expect(chosen(t, 'GET', '/pets')).toBe('GET /pets')
    expect(chosen(t, 'GET', '/pets/')).toBeUndefined()
    expect(chosen(t, 'GET', '/pets/1/')).toBeUndefined()
    const catchAll = table(['ANY /{proxy+}'])
    expect(catchAll.match('GET', '/pets/')?.pathParameters).toEqual({ proxy: 'pets/' })
  })

  it('decodes parameter values once and matches literals on decoded text', () => {
    const t = table(['GET /café/{name}/{rest+}'])
    expect(t.match('GET', '/caf%C3%A9/a%20b%3F/x/%25/y')).toEqual({
      route: { id: 'r0', routeKey: 'GET /café/{name}/{rest+}' },
      pathParameters: { name: 'a b?', rest: 'x/%/y' },
      resourcePath: '/café/{name}/{rest+}',
    })
  })

  it('falls back to $default with no parameters in HTTP APIs', () => {
    const t = table(['GET /pets', '$default'])
    expect(t.match('PUT', '/pets')).toEqual({
      route: { id: 'r1', routeKey: '$default' },
      pathParameters: {},
      resourcePath: '$default',
    })
  })

  it('answers undefined for a string that is not a path', () => {
    expect(table(['GET /{proxy+}']).match('GET', 'pets')).toBeUndefined()
  })
})

describe('matchPath (path exists, method does not)', () => {
  const t = table(['GET /pets/{id}', 'DELETE /pets/{id}', 'ANY /pets/{id}/toys', '$default'])

  it('lists the methods declared at the best matching path', () => {
    expect(t.matchPath('/pets/7')).toEqual({
      resourcePath: '/pets/{id}',
      methods: ['GET', 'DELETE'],
      pathParameters: { id: '7' },
    })
    expect(t.matchPath('/pets/7/toys')?.methods).toEqual(['ANY'])
  })

  it('ignores $default', () => {
    expect(t.matchPath('/nothing')).toBeUndefined()
  })
})

describe('compileRouteTable issues', () => {
  it.each<[ProtocolType, string[], { index: number; routeKey: string; message: string }[]]>([
    [
      'REST',
      ['$default'],
      [{ index: 0, routeKey: '$default', message: '$default routes exist only in HTTP APIs' }],
    ],
    [
      'HTTP',
      ['$default', '$default'],
      [{ index: 1, routeKey: '$default', message: 'duplicate route key' }],
    ],
    [
      'HTTP',
      ['GET /pets', 'GET /pets'],
      [{ index: 1, routeKey: 'GET /pets', message: 'duplicate route (same as "GET /pets")' }],
    ],
    [
      'HTTP',
      ['GET /pets/{id}', 'GET /pets/{petId}'],
      [
        {
          index: 1,
          routeKey: 'GET /pets/{petId}',
          message: 'conflicting path parameters {id} and {petId}',
        },
      ],
    ],
    [
      'HTTP',
      ['GET /a/{x}/b', 'PUT /a/{y}/c'],
      [{ index: 1, routeKey: 'PUT /a/{y}/c', message: 'conflicting path parameters {x} and {y}' }],
    ],
    [
      'HTTP',
      ['GET /f/{p+}', 'PUT /f/{q+}'],
      [
        {
          index: 1,
          routeKey: 'PUT /f/{q+}',
          message: 'conflicting greedy parameters {p+} and {q+}',
        },
      ],
    ],
    [
      'REST',
      ['GET /pets/{id}', 'ANY /pets/{proxy+}'],
      [
        {
          index: 1,
          routeKey: 'ANY /pets/{proxy+}',
          message: 'a sibling {id} already is a variable path part',
        },
      ],
    ],
    [
      'HTTP',
      ['get /x', 'GET /ok', 'GET /y/'],
      [
        { index: 0, routeKey: 'get /x', message: 'method "get" must be upper-case' },
        { index: 2, routeKey: 'GET /y/', message: 'route path must not end with /' },
      ],
    ],
  ])('%s %j → issues', (protocol, keys, issues) => {
    expect(compileRouteTable(routes(keys), protocol)).toEqual({ ok: false, error: issues })
  })

  it('allows the same template under different methods', () => {
    expect(
      compileRouteTable(routes(['GET /p/{id}', 'PUT /p/{id}', 'ANY /p/{id}']), 'REST').ok
    ).toBe(true)
  })
})

describe('WebSocket route tables', () => {
  it('selects by route key and falls back to $default', () => {
    const compiled = compileRouteTable(routes(['$connect', 'sendMessage', '$default']), 'WEBSOCKET')
    if (!compiled.ok) throw new Error('compile failed')
    expect(compiled.value.selectWebSocketRoute('sendMessage')?.id).toBe('r1')
    expect(compiled.value.selectWebSocketRoute('unknown')?.id).toBe('r2')
    expect(compiled.value.match('GET', '/')).toBeUndefined()
  })

  it('refuses duplicate, empty and control-character keys', () => {
    expect(compileRouteTable(routes(['a', 'a', '', 'b\n']), 'WEBSOCKET')).toEqual({
      ok: false,
      error: [
        { index: 1, routeKey: 'a', message: 'duplicate route key' },
        { index: 2, routeKey: '', message: 'WebSocket route key must be 1-128 characters' },
        { index: 3, routeKey: 'b\n', message: 'WebSocket route key must be 1-128 characters' },
      ],
    })
  })
})

describe('match robustness', () => {
  const t = table([
    'GET /',
    'GET /a/{x}/c',
    'GET /a/b/{y}/d',
    'ANY /a/{p+}',
    'POST /{id}',
    'GET /lit/x',
    '$default',
  ])

  it('never throws and always answers for HTTP APIs with $default, on arbitrary paths', () => {
    const served = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']
    const property = fc.property(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.constantFrom(...served),
      (p, m) => {
        const r = t.match(m, p)
        expect(r).toBeDefined()
        expect(() => t.matchPath(p)).not.toThrow()
        return true
      }
    )
    for (const seed of SEEDS) fc.assert(property, { seed, numRuns: 300 })
    fc.assert(property, { numRuns: 300 })
  })

  it('never throws on arbitrary method strings', () => {
    const property = fc.property(fc.string(), (m) => {
      expect(() => t.match(m, '/a/b')).not.toThrow()
      return true
    })
    for (const seed of SEEDS) fc.assert(property, { seed, numRuns: 300 })
  })

  it('matches 2000-segment paths against a deep table without recursion trouble', () => {
    const deep = table([
      'GET /' + Array.from({ length: 500 }, (_, i) => `{p${String(i)}}`).join('/'),
    ])
    const path = '/' + Array.from({ length: 500 }, () => 'x').join('/')
    expect(deep.match('GET', path)?.pathParameters.p499).toBe('x')
    expect(deep.match('GET', '/' + 'x/'.repeat(2000) + 'x')).toBeUndefined()
  })

  it('compiles and serves a 1000-route table', () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `GET /svc${String(i)}/{id}/items`)
    expect(chosen(table(keys), 'GET', '/svc999/42/items')).toBe('GET /svc999/{id}/items')
  })
})
