/**
 * Request validation end to end: an OpenAPI document with models and
 * `x-amazon-apigateway-request-validators` imported through the admin API, deployed, and called
 * over real HTTP against `wrangler dev`.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import {
  callApi,
  deployRestApi,
  httpProxy,
  openApi,
  uniqueTag,
  upstreamHits,
  upstreamUrl,
} from './harness'

let apiId: string

beforeAll(async () => {
  const document = {
    ...openApi('e2e-validation', {
      '/pets': {
        post: {
          'x-amazon-apigateway-request-validator': 'all',
          parameters: [
            { name: 'q', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'x-h', in: 'header', required: true, schema: { type: 'string' } },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
          },
          ...httpProxy(`${upstreamUrl()}/echo/pets`),
        },
      },
    }),
    'x-amazon-apigateway-request-validators': {
      all: { validateRequestBody: true, validateRequestParameters: true },
    },
    components: {
      schemas: {
        Pet: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
        },
      },
    },
  }
  apiId = await deployRestApi(document)
})

function postPet(query: string, body: string, headers: Record<string, string> = {}) {
  return callApi(apiId, `/dev/pets${query}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-h': 'h', ...headers },
  })
}

describe('request validation over HTTP', () => {
  it('forwards a valid request with its body unchanged', async () => {
    const body = '{"name":  "Rex", "age": 2}'
    const res = await postPet('?q=1', body)
    expect(res.status).toBe(200)
    expect((res.json() as { body: string }).body).toBe(body)
  })

  it('answers 400 for missing parameters and body violations, 415 for another content type, with no upstream call', async () => {
    const tag = uniqueTag('validation')
    const withTag = { 'x-test-tag': tag }
    const missing = await postPet('', '{"name":"Rex"}', withTag)
    expect(missing.status).toBe(400)
    expect(missing.json()).toEqual({ message: 'Missing required request parameters: [q]' })
    const invalid = await postPet('?q=1', '{"age": -1}', withTag)
    expect(invalid.status).toBe(400)
    expect(invalid.headers['x-amzn-errortype']).toBe('BadRequestException')
    expect(invalid.json()).toEqual({
      message:
        'Invalid request body: [object has missing required properties (["name"]), minimum violated at #/properties/age/minimum]',
    })
    const notJson = await postPet('?q=1', 'name=Rex', withTag)
    expect(notJson.json()).toEqual({ message: 'Invalid request body' })
    const xml = await postPet('?q=1', '<pet/>', { ...withTag, 'content-type': 'application/xml' })
    expect(xml.status).toBe(415)
    expect(await upstreamHits(tag)).toBe(0)
  })

  it('answers 400, not 500, for a deeply nested body', async () => {
    const res = await postPet('?q=1', '['.repeat(200_000))
    expect(res.status).toBe(400)
    expect(res.json()).toEqual({ message: 'Invalid request body' })
  })
})
