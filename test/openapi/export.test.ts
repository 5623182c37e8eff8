/** exportOpenApi: AWS's oas30 shape, stage servers, basepath modes and `extensions: false`. */
import { describe, expect, it } from 'vitest'
import type { StageConfig } from '../../src/config/types'
import { exportOpenApi } from '../../src/openapi/export'
import { HTTP_EVERYTHING, REST_EVERYTHING } from './fixtures'
import { mustImport, routeTable } from './helpers'

const stage = (stageName: string, invokeUrl?: string): StageConfig & { invokeUrl?: string } => ({
  schemaVersion: 1,
  apiId: 'abcde12345',
  stageName,
  createdDate: '2026-11-27T00:00:00.000Z',
  lastUpdatedDate: '2026-11-27T00:00:00.000Z',
  ...(invokeUrl === undefined ? {} : { invokeUrl }),
})

describe('exportOpenApi', () => {
  const rest = mustImport(JSON.stringify(REST_EVERYTHING))

  it('writes OpenAPI 3.0.1 with the stage URL and a basePath server variable', () => {
    const doc = exportOpenApi(rest.api, {
      extensions: true,
      stage: stage('prod', 'https://abcde12345.execute-api.localhost/prod'),
    })
    expect(doc.openapi).toBe('3.0.1')
    expect(doc.servers).toEqual([
      {
        url: 'https://abcde12345.execute-api.localhost/{basePath}',
        variables: { basePath: { default: 'prod' } },
      },
    ])
    const http = mustImport(JSON.stringify(HTTP_EVERYTHING), { protocolType: 'HTTP' })
    const httpDoc = exportOpenApi(http.api, {
      extensions: true,
      stage: stage('$default', 'https://abcde12345.execute-api.localhost'),
    })
    expect(httpDoc.servers).toEqual([
      {
        url: 'https://abcde12345.execute-api.localhost/{basePath}',
        variables: { basePath: { default: '' } },
      },
    ])
    expect(httpDoc['x-amazon-apigateway-importexport-version']).toBe('1.0')
  })

  it('writes integrations in AWS form', () => {
    const doc = exportOpenApi(rest.api, { extensions: true }) as {
      paths: Record<string, Record<string, Record<string, unknown>>>
    }
    expect(doc.paths['/orders']?.post?.['x-amazon-apigateway-integration']).toMatchObject({
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: expect.stringContaining('function:orderHandler:live/invocations'),
    })
    expect(
      doc.paths['/files/{proxy+}']?.['x-amazon-apigateway-any-method']?.[
        'x-amazon-apigateway-integration'
      ]
    ).toEqual({
      type: 'http_proxy',
      httpMethod: 'ANY',
      uri: 'https://${stageVariables.filesHost}/files/{proxy}',
      requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
    })
  })

  it('leaves out every extension when extensions is false, and the routes that need one', () => {
    const doc = exportOpenApi(rest.api, { extensions: false, extras: rest.extras })
    expect(JSON.stringify(doc)).not.toMatch(/x-amazon-apigateway-|x-portico-/)
    expect(Object.keys(doc.paths as object)).not.toContain('/files/{proxy+}')
    expect(doc['x-company-owner']).toBe('team-a')
  })

  it('synthesises a Lambda ARN for a WORKER integration created without one', () => {
    const api = {
      ...rest.api,
      integrations: rest.api.integrations.map((i) =>
        i.type === 'WORKER' ? { id: i.id, type: i.type, integrationUri: 'worker://BILLING' } : i
      ),
    }
    const again = mustImport(JSON.stringify(exportOpenApi(api, { extensions: true })))
    expect(routeTable(again.api)['POST /orders']).toBe('WORKER worker://BILLING')
  })

  it('declares the api_key scheme when a route requires a key but the document had none', () => {
    const api = {
      ...rest.api,
      routes: rest.api.routes.map((r) =>
        r.routeKey === 'GET /' ? { ...r, apiKeyRequired: true } : r
      ),
    }
    const doc = exportOpenApi(api, { extensions: true }) as {
      paths: Record<string, Record<string, Record<string, unknown>>>
      components: { securitySchemes: Record<string, unknown> }
    }
    expect(doc.paths['/']?.get?.security).toEqual([{ api_key: [] }])
    expect(doc.components.securitySchemes.api_key).toEqual({
      type: 'apiKey',
      name: 'x-api-key',
      in: 'header',
    })
  })
})

describe('basepath import modes', () => {
  const swagger = JSON.stringify({
    swagger: '2.0',
    info: { title: 't' },
    basePath: '/a/b/c',
    paths: {
      '/e': {
        get: { 'x-amazon-apigateway-integration': { type: 'http_proxy', uri: 'https://up/e' } },
      },
    },
  })
  it.each([
    ['ignore', 'GET /e'],
    ['prepend', 'GET /a/b/c/e'],
    ['split', 'GET /b/c/e'],
  ] as const)(
    'basepath=%s gives %s (AWS "Set the OpenAPI basePath property")',
    (basepath, routeKey) => {
      expect(mustImport(swagger, { basepath }).api.routes[0]?.routeKey).toBe(routeKey)
    }
  )

  it('reads the OpenAPI 3 basePath server variable', () => {
    expect(
      mustImport(JSON.stringify(REST_EVERYTHING), { basepath: 'prepend' }).api.routes[0]?.routeKey
    ).toBe('GET /v1')
  })
})
