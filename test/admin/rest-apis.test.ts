import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { auditForResource } from '../../src/storage/audit-log'
import { admin, awsError, deploy, importApi, PETS_OPENAPI } from './helpers'

interface RestApiOut {
  id: string
  name: string
  createdDate: number
  rootResourceId: string
  warnings?: string[]
  description?: string
  binaryMediaTypes?: string[]
}

describe('ImportRestApi', () => {
  it('imports an OpenAPI document and answers 201 with the RestApi', async () => {
    const res = await admin('POST', '/restapis?mode=import', PETS_OPENAPI)
    expect(res.status).toBe(201)
    const api: RestApiOut = await res.json()
    expect(api.id).toMatch(/^[a-z0-9]{10}$/)
    expect(api.name).toBe('Pets')
    // apigateway v1 dates are epoch seconds.
    expect(Math.abs(api.createdDate - Date.now() / 1000)).toBeLessThan(60)
    expect(api.rootResourceId).toMatch(/^[a-z0-9]{10}$/)
    const stored = await env.ROUTES.get(`api/${api.id}`, 'json')
    expect(stored).toMatchObject({ id: api.id, protocolType: 'REST', name: 'Pets' })
    const audit = await auditForResource(env.DB, `/restapis/${api.id}`)
    expect(audit[0]).toMatchObject({ principal: 'bearer', action: 'ImportRestApi' })
  })

  it('imports YAML', async () => {
    const yaml = [
      'openapi: 3.0.1',
      'info: {title: Yaml, version: "1"}',
      'paths:',
      '  /x:',
      '    get:',
      '      x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: "{\\"statusCode\\": 200}"}}',
    ].join('\n')
    const res = await admin('POST', '/restapis?mode=import', yaml, {
      'content-type': 'application/yaml',
    })
    expect(res.status).toBe(201)
    expect((await res.json<RestApiOut>()).name).toBe('Yaml')
  })

  it('refuses a document that is not OpenAPI with a 400 naming the path', async () => {
    const res = await admin('POST', '/restapis?mode=import', {
      openapi: '3.0.1',
      info: { title: 'x' },
    })
    const e = await awsError(res)
    expect(e).toMatchObject({ status: 400, type: 'BadRequestException' })
    expect(e.message).toContain('/paths')
  })

  it('refuses malformed JSON with 400', async () => {
    const res = await admin('POST', '/restapis?mode=import', '{"openapi": ')
    expect((await awsError(res)).status).toBe(400)
  })

  it('refuses an empty body with 400', async () => {
    expect((await admin('POST', '/restapis?mode=import', '')).status).toBe(400)
  })

  it('fails on warnings when failonwarnings=true and writes nothing', async () => {
    const doc = {
      ...PETS_OPENAPI,
      'x-amazon-apigateway-documentation': { version: '1', documentationParts: [] },
    }
    const lenient = await admin('POST', '/restapis?mode=import', doc)
    expect(lenient.status).toBe(201)
    const before = (await env.ROUTES.list({ prefix: 'api/' })).keys.length
    const strict = await admin('POST', '/restapis?mode=import&failonwarnings=true', doc)
    const lenientBody: RestApiOut = await lenient.json()
    expect(lenientBody.warnings?.join(' ')).toContain('x-amazon-apigateway-documentation')
    const e = await awsError(strict)
    expect(e).toMatchObject({ status: 400, type: 'BadRequestException' })
    expect(e.message).toContain('/x-amazon-apigateway-documentation')
    expect((await env.ROUTES.list({ prefix: 'api/' })).keys.length).toBe(before)
  })

  it('refuses an unknown basepath mode', async () => {
    expect(
      (await admin('POST', '/restapis?mode=import&basepath=sideways', PETS_OPENAPI)).status
    ).toBe(400)
  })

  it('refuses an unknown mode', async () => {
    expect((await admin('POST', '/restapis?mode=clone', {})).status).toBe(400)
  })
})

describe('CreateRestApi / GetRestApi / GetRestApis', () => {
  it('creates an empty API and reads it back', async () => {
    const res = await admin('POST', '/restapis', {
      name: 'Empty',
      description: 'd',
      tags: { a: 'b' },
    })
    expect(res.status).toBe(201)
    const created: RestApiOut = await res.json()
    const got = await admin('GET', `/restapis/${created.id}`)
    expect(got.status).toBe(200)
    expect(await got.json()).toEqual(created)
  })

  it('requires a name', async () => {
    const e = await awsError(await admin('POST', '/restapis', { description: 'x' }))
    expect(e).toMatchObject({ status: 400, type: 'BadRequestException' })
    expect(e.message).toContain('name')
  })

  it('refuses a wrongly typed field, naming it', async () => {
    const e = await awsError(await admin('POST', '/restapis', { name: 'x', binaryMediaTypes: 'a' }))
    expect(e.message).toContain('binaryMediaTypes')
  })

  it('refuses a resource policy it would not enforce', async () => {
    expect((await admin('POST', '/restapis', { name: 'x', policy: '{}' })).status).toBe(400)
  })

  it('clones another API with cloneFrom', async () => {
    const source = await importApi()
    const res = await admin('POST', '/restapis', { name: 'Clone', cloneFrom: source })
    const clone: RestApiOut = await res.json()
    const stored: { routes: unknown[] } | null = await env.ROUTES.get(`api/${clone.id}`, 'json')
    expect(stored?.routes).toHaveLength(2)
  })

  it('answers 404 NotFoundException for an unknown API', async () => {
    const e = await awsError(await admin('GET', '/restapis/zzzzzzzzzz'))
    expect(e).toMatchObject({ status: 404, type: 'NotFoundException' })
  })

  it('does not serve an HTTP API as a REST API', async () => {
    const id = 'httpapi001'
    await env.ROUTES.put(
      `api/${id}`,
      JSON.stringify({
        schemaVersion: 1,
        id,
        name: 'h',
        protocolType: 'HTTP',
        createdDate: '2026-01-01T00:00:00Z',
        routes: [],
        integrations: [],
      })
    )
    expect((await admin('GET', `/restapis/${id}`)).status).toBe(404)
    const list: { item: RestApiOut[] } = await (await admin('GET', '/restapis?limit=500')).json()
    expect(list.item.map((a) => a.id)).not.toContain(id)
  })

  it('pages the list with limit and position', async () => {
    for (let i = 0; i < 3; i++) await admin('POST', '/restapis', { name: `page${String(i)}` })
    const first: { item: RestApiOut[]; position?: string } = await (
      await admin('GET', '/restapis?limit=2')
    ).json()
    expect(first.item).toHaveLength(2)
    expect(first.position).toBeDefined()
    const second: { item: RestApiOut[] } = await (
      await admin('GET', `/restapis?limit=2&position=${first.position ?? ''}`)
    ).json()
    const firstIds = first.item.map((a) => a.id)
    expect(second.item.every((a) => !firstIds.includes(a.id))).toBe(true)
  })

  it('refuses a limit out of range', async () => {
    expect((await admin('GET', '/restapis?limit=0')).status).toBe(400)
    expect((await admin('GET', '/restapis?limit=abc')).status).toBe(400)
  })
})

describe('PutRestApi', () => {
  const more = {
    openapi: '3.0.1',
    info: { title: 'More', version: '2' },
    paths: {
      '/owners': {
        get: {
          'x-amazon-apigateway-integration': {
            type: 'http_proxy',
            httpMethod: 'GET',
            uri: 'https://example.com/owners',
          },
        },
      },
    },
  }

  it('overwrites the definition, keeping id and createdDate', async () => {
    const id = await importApi()
    const before: RestApiOut = await (await admin('GET', `/restapis/${id}`)).json()
    const res = await admin('PUT', `/restapis/${id}?mode=overwrite`, more)
    expect(res.status).toBe(200)
    const after: RestApiOut = await res.json()
    expect(after).toMatchObject({ id, createdDate: before.createdDate, name: 'More' })
    const stored: { routes: { routeKey: string }[] } | null = await env.ROUTES.get(
      `api/${id}`,
      'json'
    )
    expect(stored?.routes.map((r) => r.routeKey)).toEqual(['GET /owners'])
  })

  it('merges by default, keeping existing methods and the name', async () => {
    const id = await importApi()
    const res = await admin('PUT', `/restapis/${id}`, more)
    expect((await res.json<RestApiOut>()).name).toBe('Pets')
    const stored: {
      routes: { routeKey: string; integrationId?: string }[]
      integrations: { id: string }[]
    } | null = await env.ROUTES.get(`api/${id}`, 'json')
    expect(stored?.routes.map((r) => r.routeKey).sort()).toEqual([
      'GET /owners',
      'GET /pets',
      'GET /pets/{petId}',
    ])
    const integrationIds = new Set(stored?.integrations.map((i) => i.id))
    expect(
      stored?.routes.every(
        (r) => r.integrationId === undefined || integrationIds.has(r.integrationId)
      )
    ).toBe(true)
  })

  it('answers 404 for an unknown API and 400 for an unknown mode', async () => {
    expect((await admin('PUT', '/restapis/zzzzzzzzzz?mode=overwrite', more)).status).toBe(404)
    const id = await importApi()
    expect((await admin('PUT', `/restapis/${id}?mode=replace`, more)).status).toBe(400)
  })
})

describe('UpdateRestApi', () => {
  it('patches name and description', async () => {
    const id = await importApi()
    const res = await admin('PATCH', `/restapis/${id}`, {
      patchOperations: [
        { op: 'replace', path: '/name', value: 'Renamed' },
        { op: 'replace', path: '/description', value: 'New words' },
        { op: 'add', path: '/binaryMediaTypes/image~1png' },
      ],
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      name: 'Renamed',
      description: 'New words',
      binaryMediaTypes: ['image/png'],
    })
  })

  it('refuses an unknown patch path with 400', async () => {
    const id = await importApi()
    const e = await awsError(
      await admin('PATCH', `/restapis/${id}`, {
        patchOperations: [{ op: 'replace', path: '/id', value: 'x' }],
      })
    )
    expect(e).toMatchObject({ status: 400, type: 'BadRequestException' })
    expect(e.message).toContain('/id')
  })

  it('refuses malformed patch operations', async () => {
    const id = await importApi()
    expect((await admin('PATCH', `/restapis/${id}`, { patchOperations: {} })).status).toBe(400)
    expect(
      (
        await admin('PATCH', `/restapis/${id}`, {
          patchOperations: [{ op: 'frobnicate', path: '/name' }],
        })
      ).status
    ).toBe(400)
    expect(
      (
        await admin('PATCH', `/restapis/${id}`, {
          patchOperations: [{ op: 'replace', path: '/name' }],
        })
      ).status
    ).toBe(400)
  })
})

describe('DeleteRestApi', () => {
  it('removes the API with its stages and deployments and answers 202', async () => {
    const id = await importApi()
    await deploy(id, { stageName: 'prod' })
    const res = await admin('DELETE', `/restapis/${id}`)
    expect(res.status).toBe(202)
    expect(await env.ROUTES.get(`api/${id}`)).toBeNull()
    expect((await env.ROUTES.list({ prefix: `stage/${id}/` })).keys).toHaveLength(0)
    expect((await env.ROUTES.list({ prefix: `deployment/${id}/` })).keys).toHaveLength(0)
    expect((await admin('GET', `/restapis/${id}`)).status).toBe(404)
  })

  it('answers 404 for an unknown API', async () => {
    expect((await admin('DELETE', '/restapis/zzzzzzzzzz')).status).toBe(404)
  })
})

describe('stored documents', () => {
  it('answers a hand-broken document with a bare 500, no stack or detail', async () => {
    await env.ROUTES.put('api/broken0001', '{not json')
    const res = await admin('GET', '/restapis/broken0001')
    expect(await awsError(res)).toEqual({
      status: 500,
      type: 'InternalServerErrorException',
      message: 'Internal server error',
    })
  })
})

describe('config checks on write', () => {
  it('refuses an import whose upstream is a metadata address, naming the JSON path', async () => {
    const doc = {
      openapi: '3.0.1',
      info: { title: 'SSRF', version: '1' },
      paths: {
        '/x': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'http_proxy',
              httpMethod: 'GET',
              uri: 'http://169.254.169.254/latest/meta-data',
            },
          },
        },
      },
    }
    const before = (await env.ROUTES.list({ prefix: 'api/' })).keys.length
    const e = await awsError(await admin('POST', '/restapis?mode=import', doc))
    expect(e).toMatchObject({ status: 400, type: 'BadRequestException' })
    expect(e.message).toMatch(/^Invalid API definition: \/integrations\/0\/integrationUri: /)
    expect((await env.ROUTES.list({ prefix: 'api/' })).keys.length).toBe(before)
  })
})
