/**
 * Response cache fields through OpenAPI: `x-amazon-apigateway-integration.cacheKeyParameters` →
 * RouteConfig.cacheKeyParameters, the operation's `x-portico-cache-shared` → RouteConfig.cacheShared,
 * and both back on export. `cacheNamespace` stays a kept-but-unenforced integration field.
 */
import { describe, expect, it } from 'vitest'
import { checkApiConfig } from '../../src/config/check'
import { exportOpenApi } from '../../src/openapi/export'
import { importOpenApi } from '../../src/openapi/import'
import { CORPUS } from './corpus'
import { mustImport, options, warningPaths, withoutIds } from './helpers'

const INTEGRATION = '/paths/~1pets~1{petId}/get/x-amazon-apigateway-integration'

function petsDoc(
  integrationExtra: Record<string, unknown> = {},
  operationExtra: Record<string, unknown> = {}
): string {
  return JSON.stringify({
    openapi: '3.0.1',
    info: { title: 'Pets', version: '1' },
    paths: {
      '/pets/{petId}': {
        get: {
          parameters: [
            { name: 'petId', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'q', in: 'query', schema: { type: 'string' } },
            { name: 'Accept', in: 'header', schema: { type: 'string' } },
          ],
          ...operationExtra,
          'x-amazon-apigateway-integration': {
            type: 'http_proxy',
            httpMethod: 'GET',
            uri: 'https://backend.example.com/pets/{petId}',
            requestParameters: { 'integration.request.path.petId': 'method.request.path.petId' },
            ...integrationExtra,
          },
        },
      },
    },
  })
}

const KEYS = [
  'method.request.path.petId',
  'method.request.querystring.q',
  'method.request.multivaluequerystring.tag',
  'method.request.header.Accept',
]

function errorsOf(text: string): { path: string; message: string }[] {
  const result = importOpenApi(text, options())
  if (result.ok) throw new Error('the document was imported')
  return result.error
}

describe('cacheKeyParameters and x-portico-cache-shared on import', () => {
  it('imports cacheKeyParameters into the route without a warning and keeps cacheNamespace in passthrough', () => {
    const { api, warnings } = mustImport(
      petsDoc({ cacheKeyParameters: KEYS, cacheNamespace: 'pets' })
    )
    const route = api.routes[0]
    expect(route?.cacheKeyParameters).toEqual(KEYS)
    expect(route?.cacheShared).toBeUndefined()
    expect(api.integrations[0]?.passthrough).toEqual({ cacheNamespace: 'pets' })
    expect(warningPaths(warnings)).not.toContain(`${INTEGRATION}/cacheKeyParameters`)
    expect(warningPaths(warnings)).toContain(`${INTEGRATION}/cacheNamespace`)
    expect(checkApiConfig(api).ok).toBe(true)
  })

  it('imports x-portico-cache-shared into the route, not into the stored operation', () => {
    const { api, warnings } = mustImport(petsDoc({}, { 'x-portico-cache-shared': true }))
    expect(api.routes[0]?.cacheShared).toBe(true)
    expect(api.routes[0]?.openapiOperation).not.toHaveProperty('x-portico-cache-shared')
    expect(warnings.join('\n')).not.toContain('x-portico-cache-shared')
    const unshared = mustImport(petsDoc({}, { 'x-portico-cache-shared': false }))
    expect(unshared.api.routes[0]?.cacheShared).toBe(false)
  })

  it('drops duplicate cache key parameters', () => {
    const { api } = mustImport(
      petsDoc({
        cacheKeyParameters: ['method.request.querystring.q', 'method.request.querystring.q'],
      })
    )
    expect(api.routes[0]?.cacheKeyParameters).toEqual(['method.request.querystring.q'])
  })

  it('refuses malformed cache key parameters, each by its JSON Pointer', () => {
    const errors = errorsOf(
      petsDoc({
        cacheKeyParameters: [
          'method.request.querystring.q',
          'integration.request.querystring.q',
          'method.request.body.x',
          42,
          'method.request.path.nope',
        ],
      })
    )
    expect(errors.map((e) => e.path)).toEqual([
      `${INTEGRATION}/cacheKeyParameters/1`,
      `${INTEGRATION}/cacheKeyParameters/2`,
      `${INTEGRATION}/cacheKeyParameters/3`,
      `${INTEGRATION}/cacheKeyParameters/4`,
    ])
    expect(errors[3]?.message).toContain('not a path parameter of the route')
  })

  it('refuses cacheKeyParameters that is not a list, and a non-boolean x-portico-cache-shared', () => {
    expect(errorsOf(petsDoc({ cacheKeyParameters: 'method.request.querystring.q' }))).toEqual([
      { path: `${INTEGRATION}/cacheKeyParameters`, message: expect.any(String) as string },
    ])
    expect(errorsOf(petsDoc({}, { 'x-portico-cache-shared': 'yes' }))).toEqual([
      {
        path: '/paths/~1pets~1{petId}/get/x-portico-cache-shared',
        message: 'Must be true or false',
      },
    ])
  })
})

describe('cacheKeyParameters and x-portico-cache-shared on export', () => {
  it('exports both back where AWS and Portico read them and round-trips to the same ApiConfig', () => {
    const first = mustImport(
      petsDoc(
        { cacheKeyParameters: KEYS, cacheNamespace: 'pets' },
        { 'x-portico-cache-shared': true }
      )
    )
    const exported = exportOpenApi(first.api, { extensions: true, extras: first.extras })
    const op = (exported.paths as Record<string, Record<string, Record<string, unknown>>>)[
      '/pets/{petId}'
    ]?.get
    expect(op?.['x-portico-cache-shared']).toBe(true)
    expect(op?.['x-amazon-apigateway-integration']).toMatchObject({
      cacheKeyParameters: KEYS,
      cacheNamespace: 'pets',
    })
    const second = mustImport(JSON.stringify(exported))
    expect(withoutIds(second.api)).toEqual(withoutIds(first.api))
    expect(exportOpenApi(second.api, { extensions: true, extras: second.extras })).toEqual(exported)
  })

  it('leaves both out of an export without extensions', () => {
    const { api, extras } = mustImport(
      petsDoc({ cacheKeyParameters: KEYS }, { 'x-portico-cache-shared': false })
    )
    const exported = JSON.stringify(exportOpenApi(api, { extensions: false, extras }))
    expect(exported).not.toContain('x-portico-cache-shared')
    expect(exported).not.toContain('cacheKeyParameters')
  })

  it('exports no cache fields for a route that has none', () => {
    const { api, extras } = mustImport(petsDoc())
    const exported = JSON.stringify(exportOpenApi(api, { extensions: true, extras }))
    expect(exported).not.toContain('x-portico-cache-shared')
    expect(exported).not.toContain('cacheKeyParameters')
  })
})

describe('corpus: serverless-patterns-cache-key-parameters.yaml', () => {
  it('is still refused for its CloudFormation intrinsics, not for its cache key parameters', () => {
    const result = importOpenApi(CORPUS['serverless-patterns-cache-key-parameters.yaml'], options())
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.length).toBeGreaterThan(0)
    expect(result.error.some((e) => e.path.includes('cacheKeyParameters'))).toBe(false)
  })
})
