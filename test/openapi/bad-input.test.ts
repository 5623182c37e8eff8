/** Inputs that must be refused with a precise error, never a crash. */
import { describe, expect, it } from 'vitest'
import { importOpenApi } from '../../src/openapi/import'
import { MAX_IMPORT_BYTES } from '../../src/openapi/parse-document'
import { options } from './helpers'

function errorsOf(input: string | Uint8Array, protocolType: 'REST' | 'HTTP' = 'REST') {
  const result = importOpenApi(input, options({ protocolType }))
  if (result.ok) throw new Error('expected the import to be refused')
  return result.error
}

const doc = (paths: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ openapi: '3.0.1', info: { title: 't' }, paths, ...extra })
const proxy = { type: 'http_proxy', uri: 'https://up.example/' }

describe('document parsing', () => {
  it.each([
    ['garbage', '{ this is : not json'],
    ['a YAML syntax error', 'openapi: 3.0.1\ninfo: [unclosed'],
    ['an empty body', '   '],
  ])('refuses %s as neither JSON nor YAML', (_what, text) => {
    expect(errorsOf(text)[0]?.path).toBe('')
  })

  it('refuses a JSON array', () => {
    expect(errorsOf('[1, 2]')).toEqual([
      { path: '', message: 'The document must be an OpenAPI object, not an array' },
    ])
  })

  it('refuses a scalar YAML document', () => {
    expect(errorsOf('just a string')[0]?.message).toMatch(/not a string/)
  })

  it('refuses invalid UTF-8 bytes', () => {
    expect(errorsOf(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))[0]?.message).toMatch(/UTF-8/)
  })

  it('accepts UTF-8 bytes with a BOM', () => {
    const bytes = new TextEncoder().encode(
      '\uFEFF' + doc({ '/': { get: { 'x-amazon-apigateway-integration': proxy } } })
    )
    expect(importOpenApi(bytes, options()).ok).toBe(true)
  })

  it('refuses a 7 MiB document before parsing it', () => {
    const big = doc({}, { padding: 'x'.repeat(7 * 1024 * 1024) })
    expect(errorsOf(big)).toEqual([
      { path: '', message: `The document is larger than ${String(MAX_IMPORT_BYTES)} bytes` },
    ])
    expect(errorsOf(new TextEncoder().encode(big))[0]?.message).toMatch(/larger than/)
  })

  it('refuses a YAML alias bomb (billion laughs) without expanding it', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i)
      const next = String.fromCharCode(97 + i)
      lines.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`)
    }
    const text = `openapi: 3.0.1\ninfo: {title: bomb}\npaths: {}\n${lines.join('\n')}\n`
    const started = Date.now()
    expect(errorsOf(text)[0]?.message).toMatch(/alias|cannot be expanded/i)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('refuses CloudFormation short-form tags with their JSON Pointer', () => {
    const text = [
      'openapi: 3.0.1',
      'info: {title: t}',
      'paths:',
      '  /x:',
      '    get:',
      '      x-amazon-apigateway-integration:',
      '        type: aws_proxy',
      '        uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/x"',
      '        credentials: !GetAtt [Role, Arn]',
      '        cacheNamespace: !Ref Ns',
    ].join('\n')
    const errors = errorsOf(text)
    const base = '/paths/~1x/get/x-amazon-apigateway-integration'
    expect(errors.map((e) => e.path)).toEqual([
      `${base}/uri`,
      `${base}/credentials`,
      `${base}/cacheNamespace`,
    ])
    expect(errors[0]?.message).toMatch(/CloudFormation intrinsic function !Sub must be resolved/)
    expect(errors[1]?.message).toMatch(/!GetAtt/)
  })

  it('refuses an unknown YAML tag', () => {
    expect(errorsOf('openapi: 3.0.1\ninfo: !custom {title: t}\npaths: {}')).toEqual([
      { path: '/info', message: 'Unsupported YAML tag !custom' },
    ])
  })

  it('refuses JSON intrinsics (Fn::Join, Ref) by path', () => {
    const errors = errorsOf(
      doc({
        '/': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'http_proxy',
              uri: { 'Fn::Join': ['', ['https://', { Ref: 'Host' }]] },
            },
          },
        },
      })
    )
    expect(errors.map((e) => e.path)).toEqual(['/paths/~1/get/x-amazon-apigateway-integration/uri'])
    expect(errors[0]?.message).toMatch(/Fn::Join/)
  })

  it('does not mistake a schema property named Ref for an intrinsic', () => {
    const schemas = {
      S: { type: 'object', properties: { Ref: { type: 'string' }, other: { type: 'string' } } },
    }
    const result = importOpenApi(doc({}, { components: { schemas } }), options())
    expect(result.ok).toBe(true)
  })

  it('refuses a document nested deeper than the limit', () => {
    let deep: unknown = 'x'
    for (let i = 0; i < 200; i++) deep = { d: deep }
    expect(errorsOf(doc({}, { 'x-deep': deep }))[0]?.message).toMatch(/nests deeper/)
  })
})

describe('version detection', () => {
  it('refuses OpenAPI 3.1', () => {
    expect(errorsOf(JSON.stringify({ openapi: '3.1.0', info: { title: 't' }, paths: {} }))).toEqual(
      [
        {
          path: '/openapi',
          message:
            'OpenAPI 3.1.0 is not supported: API Gateway imports OpenAPI 2.0 (Swagger) and 3.0.x',
        },
      ]
    )
  })

  it('accepts OpenAPI 3.0.x and Swagger 2.0 (also as YAML numbers)', () => {
    for (const text of [
      doc({}),
      JSON.stringify({ openapi: '3.0.3', info: { title: 't' }, paths: {} }),
      JSON.stringify({ swagger: '2.0', info: { title: 't' }, paths: {} }),
      'swagger: 2.0\ninfo: {title: t}\npaths: {}',
      'openapi: 3.0\ninfo: {title: t}\npaths: {}',
    ]) {
      expect(importOpenApi(text, options()).ok).toBe(true)
    }
  })

  it('refuses documents without a version field, and Swagger 1.2', () => {
    expect(errorsOf(JSON.stringify({ info: { title: 't' }, paths: {} }))[0]?.message).toMatch(
      /Not an OpenAPI document/
    )
    expect(
      errorsOf(JSON.stringify({ swaggerVersion: '1.2', swagger: '1.2', paths: {} }))[0]?.path
    ).toBe('/swagger')
  })

  it('refuses a document without paths', () => {
    expect(errorsOf(JSON.stringify({ openapi: '3.0.1', info: { title: 't' } }))).toEqual([
      { path: '/paths', message: 'The document has no paths object' },
    ])
  })

  it('refuses a document without info.title', () => {
    expect(errorsOf(JSON.stringify({ openapi: '3.0.1', info: {}, paths: {} }))[0]?.path).toBe(
      '/info/title'
    )
  })
})

describe('paths and operations', () => {
  it('refuses duplicate operationIds', () => {
    const errors = errorsOf(
      doc({
        '/a': { get: { operationId: 'same', 'x-amazon-apigateway-integration': proxy } },
        '/b': { get: { operationId: 'same', 'x-amazon-apigateway-integration': proxy } },
      })
    )
    expect(errors).toEqual([
      {
        path: '/paths/~1b/get/operationId',
        message: 'Duplicate operationId same (also used by GET /a)',
      },
    ])
  })

  it.each([
    ['/files/{proxy+}/meta', /Greedy path parameter \{proxy\+\} must be the last segment/],
    ['/a//b', /empty segments/],
    ['/a/../b', /dot segments/],
    ['/a/', /must not end with/],
    ['pets', /must start with/],
    ['/pets{id}', /whole segment/],
    ['/a;b', /not allowed/],
    ['/a%2fb', /not allowed/],
    ['/{id}/{id}', /appears twice/],
  ])('refuses the path %s', (path, message) => {
    const errors = errorsOf(doc({ [path]: { get: { 'x-amazon-apigateway-integration': proxy } } }))
    expect(errors[0]?.message).toMatch(message)
    expect(errors[0]?.path).toBe('/paths/' + path.replaceAll('/', '~1'))
  })

  it('refuses sibling parameters with different names', () => {
    const errors = errorsOf(
      doc({
        '/pets/{id}': { get: { 'x-amazon-apigateway-integration': proxy } },
        '/pets/{petId}/toys': { get: { 'x-amazon-apigateway-integration': proxy } },
      })
    )
    expect(errors[0]?.path).toBe('/paths/~1pets~1{petId}~1toys')
  })

  it.each(['trace', 'fetch', 'GET'])('refuses the invalid method %s', (method) => {
    const errors = errorsOf(
      doc({ '/': { [method]: { 'x-amazon-apigateway-integration': proxy } } })
    )
    expect(errors[0]).toMatchObject({
      path: `/paths/~1/${method}`,
      message: expect.stringMatching(/^Invalid method/),
    })
  })

  it('refuses /$default in a REST API and methods other than any on /$default', () => {
    expect(
      errorsOf(doc({ '/$default': { 'x-amazon-apigateway-any-method': {} } }))[0]?.message
    ).toMatch(/HTTP API route/)
    expect(errorsOf(doc({ '/$default': { get: {} } }), 'HTTP')[0]?.message).toMatch(
      /only x-amazon-apigateway-any-method/
    )
  })

  it('refuses remote parameter $refs without fetching them', () => {
    const errors = errorsOf(
      doc({
        '/': {
          get: {
            parameters: [{ $ref: 'https://evil.example/p.json' }],
            'x-amazon-apigateway-integration': proxy,
          },
        },
      })
    )
    expect(errors[0]?.path).toBe('/paths/~1/get/parameters/0')
  })

  it('failOnWarnings turns warnings into errors (AWS failonwarnings)', () => {
    const text = doc({}, { 'x-amazon-apigateway-documentation': { version: '1' } })
    expect(importOpenApi(text, options()).ok).toBe(true)
    const result = importOpenApi(text, options({ failOnWarnings: true }))
    expect(result.ok ? [] : result.error).toEqual([
      {
        path: '/x-amazon-apigateway-documentation',
        message: 'Documentation parts are not supported yet; kept for export',
      },
    ])
  })

  it('rejects a bad document-level value with its path', () => {
    const errors = errorsOf(
      doc(
        {},
        {
          'x-amazon-apigateway-api-key-source': 'QUERY',
          'x-amazon-apigateway-binary-media-types': 'image/png',
          'x-portico-allow-loopback-upstreams': 'yes',
          'x-amazon-apigateway-gateway-responses': {
            NOT_A_TYPE: {},
            THROTTLED: { statusCode: 99 },
          },
        }
      )
    )
    expect(errors.map((e) => e.path).sort()).toEqual([
      '/x-amazon-apigateway-api-key-source',
      '/x-amazon-apigateway-binary-media-types',
      '/x-amazon-apigateway-gateway-responses/NOT_A_TYPE',
      '/x-amazon-apigateway-gateway-responses/THROTTLED/statusCode',
      '/x-portico-allow-loopback-upstreams',
    ])
  })
})
