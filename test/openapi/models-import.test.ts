/**
 * REST models and request validators: `components.schemas` / `definitions` → models, request
 * bodies → `requestModels`, `x-amazon-apigateway-request-validator(s)` → validators; and back.
 */
import { describe, expect, it } from 'vitest'
import { exportOpenApi } from '../../src/openapi/export'
import { importOpenApi } from '../../src/openapi/import'
import { mustImport, options } from './helpers'

const proxy = { type: 'http_proxy', uri: 'https://up.example/' }

const PETS = {
  openapi: '3.0.1',
  info: { title: 'pets' },
  'x-amazon-apigateway-request-validators': {
    body: { validateRequestBody: true, validateRequestParameters: false },
    params: { validateRequestParameters: true },
  },
  'x-amazon-apigateway-request-validator': 'params',
  components: {
    schemas: {
      Pet: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, owner: { $ref: '#/components/schemas/Owner' } },
      },
      Owner: { type: 'object', properties: { email: { type: 'string' } } },
      'not-a-model': { type: 'string' },
    },
  },
  paths: {
    '/pets': {
      post: {
        operationId: 'createPet',
        'x-amazon-apigateway-request-validator': 'body',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
        },
        'x-amazon-apigateway-integration': proxy,
      },
      put: {
        operationId: 'replace-pet',
        requestBody: {
          content: { 'application/json': { schema: { type: 'object', maxProperties: 3 } } },
        },
        'x-amazon-apigateway-integration': proxy,
      },
      get: { 'x-amazon-apigateway-integration': proxy },
    },
  },
}

describe('model import', () => {
  const { api, warnings, extras } = mustImport(JSON.stringify(PETS))
  const byKey = Object.fromEntries(api.routes.map((r) => [r.routeKey, r]))

  it('makes component schemas models, self-contained with the models they reference', () => {
    expect(api.models?.find((m) => m.name === 'Pet')).toEqual({
      id: 'Pet',
      name: 'Pet',
      contentType: 'application/json',
      schema: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, owner: { $ref: '#/definitions/Owner' } },
        definitions: { Owner: { type: 'object', properties: { email: { type: 'string' } } } },
      },
    })
  })

  it('keeps a schema whose name is not a model name, with a warning', () => {
    expect(api.models?.map((m) => m.name)).not.toContain('not-a-model')
    expect(extras.components).toEqual({ schemas: { 'not-a-model': { type: 'string' } } })
    expect(warnings).toEqual([
      '/components/schemas/not-a-model: Schema not-a-model is not a model (model names are alphanumeric); kept for export',
    ])
  })

  it('maps request bodies to requestModels; an inline schema becomes a model of its own', () => {
    expect(byKey['POST /pets']?.requestModels).toEqual({ 'application/json': 'Pet' })
    expect(byKey['PUT /pets']?.requestModels).toEqual({ 'application/json': 'ReplacePetBody' })
    expect(api.models?.find((m) => m.name === 'ReplacePetBody')?.schema).toEqual({
      type: 'object',
      maxProperties: 3,
    })
    // The body keeps its other fields; the schema lives in the model.
    expect(byKey['POST /pets']?.openapiOperation?.requestBody).toEqual({
      required: true,
      content: { 'application/json': {} },
    })
  })

  it('maps validators; an operation without its own takes the document default', () => {
    expect(api.requestValidators).toEqual([
      { id: 'body', name: 'body', validateRequestBody: true, validateRequestParameters: false },
      { id: 'params', name: 'params', validateRequestParameters: true },
    ])
    expect(byKey['POST /pets']?.requestValidatorId).toBe('body')
    expect(byKey['GET /pets']?.requestValidatorId).toBe('params')
  })

  it('exports models as component schemas with $refs restored, and re-imports the same config', () => {
    const doc = exportOpenApi(api, { extensions: true, extras })
    const components = doc.components as Record<string, Record<string, unknown>>
    expect(components.schemas?.Pet).toEqual(PETS.components.schemas.Pet)
    expect(components.schemas?.['not-a-model']).toEqual({ type: 'string' })
    expect(doc['x-amazon-apigateway-request-validators']).toEqual(
      PETS['x-amazon-apigateway-request-validators']
    )
    const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>
    expect(paths['/pets']?.post?.requestBody).toEqual(PETS.paths['/pets'].post.requestBody)
    expect(paths['/pets']?.get?.['x-amazon-apigateway-request-validator']).toBe('params')
    const again = mustImport(JSON.stringify(doc))
    expect(again.api.models).toEqual(api.models)
    expect(again.api.requestValidators).toEqual(api.requestValidators)
    expect(again.api.routes.map((r) => [r.requestModels, r.requestValidatorId])).toEqual(
      api.routes.map((r) => [r.requestModels, r.requestValidatorId])
    )
  })
})

describe('model and validator errors', () => {
  it('refuses a validator name that is not defined, and an unresolvable schema reference', () => {
    const doc = {
      ...PETS,
      components: { schemas: { Pet: { $ref: '#/components/schemas/Missing' } } },
      'x-amazon-apigateway-request-validator': 'nope',
    }
    const result = importOpenApi(JSON.stringify(doc), options())
    expect(result.ok ? [] : result.error).toEqual([
      {
        path: '/x-amazon-apigateway-request-validator',
        message: 'Request validator nope is not defined in x-amazon-apigateway-request-validators',
      },
      {
        path: '/components/schemas/Pet',
        message: 'Schema reference #/components/schemas/Missing does not resolve',
      },
    ])
  })

  it('imports Swagger 2 definitions and body parameters as models', () => {
    const { api } = mustImport(
      JSON.stringify({
        swagger: '2.0',
        info: { title: 's' },
        definitions: { Item: { type: 'object' } },
        paths: {
          '/items': {
            post: {
              parameters: [{ in: 'body', name: 'b', schema: { $ref: '#/definitions/Item' } }],
              'x-amazon-apigateway-integration': proxy,
            },
          },
        },
      })
    )
    expect(api.models?.map((m) => m.name)).toEqual(['Item'])
    expect(api.routes[0]?.requestModels).toEqual({ 'application/json': 'Item' })
  })

  it('leaves HTTP API schemas and validators alone (AWS HTTP APIs have neither)', () => {
    const { api, warnings, extras } = mustImport(JSON.stringify(PETS), { protocolType: 'HTTP' })
    expect(api.models).toBeUndefined()
    expect(api.requestValidators).toBeUndefined()
    expect(extras.components).toEqual(PETS.components)
    expect(warnings.join('\n')).toMatch(/Request validation is not supported for HTTP APIs/)
  })
})
