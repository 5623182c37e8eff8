import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ApiMappingConfig, DomainNameConfig } from '../../src/config/types'
import {
  classifyHost,
  domainLookupNames,
  matchApiMapping,
  splitStage,
  type HostTarget,
} from '../../src/routing/host'

const VARS = { EXECUTE_API_DOMAIN: 'execute-api.localhost', ADMIN_HOSTNAME: 'admin.localhost' }

describe('classifyHost', () => {
  it.each<[string | null, HostTarget]>([
    ['admin.localhost', { kind: 'admin' }],
    ['ADMIN.localhost:8787', { kind: 'admin' }],
    ['admin.localhost.', { kind: 'admin' }],
    ['abc123defg.execute-api.localhost', { kind: 'execute-api', apiId: 'abc123defg' }],
    ['ABC123DEFG.Execute-Api.Localhost:8787', { kind: 'execute-api', apiId: 'abc123defg' }],
    ['api.example.com', { kind: 'custom', hostname: 'api.example.com' }],
    ['API.Example.COM:443', { kind: 'custom', hostname: 'api.example.com' }],
    ['xn--caf-dma.example', { kind: 'custom', hostname: 'xn--caf-dma.example' }],
    ['127.0.0.1:8787', { kind: 'custom', hostname: '127.0.0.1' }],
    ['[::1]:8787', { kind: 'custom', hostname: '[::1]' }],
    ['[2001:DB8::1]', { kind: 'custom', hostname: '[2001:db8::1]' }],
    ['localhost', { kind: 'custom', hostname: 'localhost' }],
  ])('classifies %j', (host, target) => {
    expect(classifyHost(host, VARS)).toEqual(target)
  })

  it.each<[string | null, string]>([
    [null, 'no host'],
    ['', 'empty host'],
    ['short.execute-api.localhost', 'not an API id under the execute-api domain'],
    ['abc123defgh.execute-api.localhost', 'not an API id under the execute-api domain'],
    ['x.abc123defg.execute-api.localhost', 'not an API id under the execute-api domain'],
    ['abc_23defg.execute-api.localhost', 'malformed host name'],
    ['execute-api.localhost', 'bare execute-api domain'],
    ['evil.com@admin.localhost', 'malformed host name'],
    ['admin.localhost/x', 'malformed host name'],
    ['admin .localhost', 'malformed host name'],
    ['a..b', 'malformed host name'],
    ['-a.example', 'malformed host name'],
    ['café.example', 'malformed host name'],
    ['a'.repeat(64) + '.example', 'malformed host name'],
    ['host:', 'malformed port'],
    ['host:99999', 'malformed port'],
    ['host:80:80', 'malformed port'],
    ['[::1', 'unclosed IPv6 literal'],
    ['[::1]x', 'junk after IPv6 literal'],
    ['[zz::1]', 'malformed IPv6 literal'],
    ['x'.repeat(300), 'host too long'],
  ])('refuses %j (%s)', (host, reason) => {
    expect(classifyHost(host, VARS)).toEqual({ kind: 'invalid', reason })
  })

  it('never serves the admin plane through a data-plane name', () => {
    for (const host of ['admin.localhost.execute-api.localhost', 'admin.localhost.evil.com']) {
      expect(classifyHost(host, VARS).kind).not.toBe('admin')
    }
  })

  it('never throws and never classifies garbage as admin', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (host) => {
        const t = classifyHost(host, VARS)
        return (
          t.kind !== 'admin' ||
          host.toLowerCase().replace(/(\.)?(:\d+)?$/, '') === 'admin.localhost'
        )
      }),
      { seed: 42, numRuns: 500 }
    )
  })
})

describe('domainLookupNames', () => {
  it.each([
    ['api.example.com', ['api.example.com', '*.example.com']],
    ['a.b.example.com', ['a.b.example.com', '*.b.example.com']],
    ['example.com', ['example.com']],
    ['localhost', ['localhost']],
    ['127.0.0.1', ['127.0.0.1']],
    ['[::1]', ['[::1]']],
    ['API.Example.com.', ['api.example.com', '*.example.com']],
  ])('%s → %j', (host, names) => {
    expect(domainLookupNames(host)).toEqual(names)
  })
})

function domain(keys: readonly string[]): DomainNameConfig {
  return {
    schemaVersion: 1,
    domainName: 'api.example.com',
    createdDate: '2026-01-01T00:00:00Z',
    mappings: keys.map((apiMappingKey, i): ApiMappingConfig => ({
      apiMappingId: `m${String(i)}`,
      apiId: `api${String(i).padStart(7, '0')}`,
      stage: 'prod',
      apiMappingKey,
    })),
  }
}

describe('matchApiMapping', () => {
  const d = domain(['', 'v1', 'v1/orders', 'caf\u00e9'])

  it.each([
    ['/pets/1', '', '/pets/1'],
    ['/', '', '/'],
    ['/v1', 'v1', '/'],
    ['/v1/', 'v1', '/'],
    ['/v1/pets', 'v1', '/pets'],
    ['/v1/orders', 'v1/orders', '/'],
    ['/v1/orders/7/', 'v1/orders', '/7/'],
    ['/v10/x', '', '/v10/x'],
    ['/V1/x', '', '/V1/x'],
    ['/v1/ordersx', 'v1', '/ordersx'],
    ['/caf%C3%A9/x', 'caf\u00e9', '/x'],
  ])('%s → mapping %j, remaining %s', (path, key, remaining) => {
    const m = matchApiMapping(d, path)
    expect(m?.mapping.apiMappingKey).toBe(key)
    expect(m?.remainingPath).toBe(remaining)
  })

  it('answers undefined when no mapping covers the path', () => {
    expect(matchApiMapping(domain(['v1']), '/v2/x')).toBeUndefined()
    expect(matchApiMapping(domain([]), '/')).toBeUndefined()
  })

  it('ignores a mapping key that could never be a canonical prefix', () => {
    expect(matchApiMapping(domain(['a/../b', 'x/']), '/b/x')).toBeUndefined()
  })

  it('picks the longest key whatever the declaration order, answering the same on reuse', () => {
    const reversed = domain(['v1/orders', 'v1', ''])
    for (let i = 0; i < 2; i++) {
      expect(matchApiMapping(reversed, '/v1/orders/7')?.mapping.apiMappingKey).toBe('v1/orders')
      expect(matchApiMapping(reversed, '/v1/pets')?.mapping.apiMappingKey).toBe('v1')
      expect(matchApiMapping(reversed, '/other')?.mapping.apiMappingKey).toBe('')
    }
  })

  it('lets the first of two keys with the same canonical prefix win', () => {
    const twins = domain(['v1', 'v%31'])
    expect(matchApiMapping(twins, '/v1/x')?.mapping.apiMappingId).toBe('m0')
  })
})

describe('splitStage', () => {
  it.each([
    ['/prod/pets/1', { stage: 'prod', rest: '/pets/1' }],
    ['/prod', { stage: 'prod', rest: '/' }],
    ['/prod/', { stage: 'prod', rest: '/' }],
    ['/prod/a/', { stage: 'prod', rest: '/a/' }],
    ['/%24default/x', { stage: '$default', rest: '/x' }],
  ])('%s → %j', (path, split) => {
    expect(splitStage(path)).toEqual(split)
  })

  it('has no stage for the root or a non-path', () => {
    expect(splitStage('/')).toBeUndefined()
    expect(splitStage('prod/x')).toBeUndefined()
  })
})
