import { describe, expect, it } from 'vitest'
import { admin, createHttpApi, expectError } from './helpers'

let counter = 0
/** A fresh domain per test: KV may be shared between tests of this file. */
function domain(prefix = 'api'): string {
  counter++
  return `${prefix}${String(counter)}-${String(Date.now())}.example.com`
}

async function apiWithStage(stageName = 'prod'): Promise<string> {
  const apiId = await createHttpApi()
  expect((await admin('POST', `/v2/apis/${apiId}/stages`, { stageName })).status).toBe(201)
  return apiId
}

describe('v2 domain names', () => {
  it('creates, gets, lists and deletes a domain name (lower-cased)', async () => {
    const name = domain('Api')
    const created = await admin('POST', '/v2/domainnames', {
      domainName: name,
      domainNameConfigurations: [{ certificateArn: 'arn:aws:acm:x', endpointType: 'REGIONAL' }],
      tags: { a: 'b' },
    })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({
      domainName: name.toLowerCase(),
      apiMappingSelectionExpression: '$request.basepath',
      tags: { a: 'b' },
    })
    expect(created.json.domainNameConfigurations[0].domainNameStatus).toBe('AVAILABLE')
    expect((await admin('GET', `/v2/domainnames/${name}`)).json).toEqual(created.json)
    const list = await admin('GET', '/v2/domainnames')
    expect(list.json.items.map((d: { domainName: string }) => d.domainName)).toContain(
      name.toLowerCase()
    )
    expectError(
      await admin('POST', '/v2/domainnames', { domainName: name }),
      409,
      'ConflictException'
    )
    expect((await admin('DELETE', `/v2/domainnames/${name}`)).status).toBe(204)
    expectError(await admin('GET', `/v2/domainnames/${name}`), 404, 'NotFoundException')
  })

  it('accepts a wildcard domain name', async () => {
    const name = `*.${domain('w')}`
    expect((await admin('POST', '/v2/domainnames', { domainName: name })).status).toBe(201)
    expect((await admin('GET', `/v2/domainnames/${encodeURIComponent(name)}`)).status).toBe(200)
  })

  it.each([
    ['localhost', /Invalid 'domainName'/],
    ['a..example.com', /Invalid 'domainName'/],
    ['api.*.example.com', /Invalid 'domainName'/],
    ['-bad.example.com', /Invalid 'domainName'/],
    ['admin.localhost', /reserved host/],
    ['*.execute-api.localhost', /reserved host/],
    ['abc.execute-api.localhost', /reserved host/],
  ])('refuses the domain name %s', async (domainName, pattern) => {
    expectError(
      await admin('POST', '/v2/domainnames', { domainName }),
      400,
      'BadRequestException',
      pattern
    )
  })
})

describe('v2 API mappings', () => {
  it('maps an API stage under root and multi-level keys, then unmaps', async () => {
    const name = domain()
    await admin('POST', '/v2/domainnames', { domainName: name })
    const apiId = await apiWithStage()
    const root = await admin('POST', `/v2/domainnames/${name}/apimappings`, {
      apiId,
      stage: 'prod',
    })
    expect(root.status).toBe(201)
    expect(root.json).toMatchObject({ apiId, stage: 'prod', apiMappingKey: '' })
    const deep = await admin('POST', `/v2/domainnames/${name}/apimappings`, {
      apiId,
      stage: 'prod',
      apiMappingKey: 'v1/orders',
    })
    expect(deep.status).toBe(201)
    const id: string = deep.json.apiMappingId
    expect((await admin('GET', `/v2/domainnames/${name}/apimappings/${id}`)).json).toEqual(
      deep.json
    )
    const list = await admin('GET', `/v2/domainnames/${name}/apimappings`)
    expect(list.json.items).toHaveLength(2)
    const moved = await admin('PATCH', `/v2/domainnames/${name}/apimappings/${id}`, {
      apiMappingKey: 'v2',
    })
    expect(moved.json).toMatchObject({ apiMappingKey: 'v2', apiId, stage: 'prod' })
    expect((await admin('DELETE', `/v2/domainnames/${name}/apimappings/${id}`)).status).toBe(204)
    expectError(
      await admin('GET', `/v2/domainnames/${name}/apimappings/${id}`),
      404,
      'NotFoundException'
    )
  })

  it('refuses a mapping to a missing API or stage (400) and a duplicate key (409)', async () => {
    const name = domain()
    await admin('POST', '/v2/domainnames', { domainName: name })
    const apiId = await apiWithStage()
    const path = `/v2/domainnames/${name}/apimappings`
    expectError(
      await admin('POST', path, { apiId: 'zzzzzzzzzz', stage: 'prod' }),
      400,
      'BadRequestException',
      /'apiId'/
    )
    expectError(
      await admin('POST', path, { apiId, stage: 'nope' }),
      400,
      'BadRequestException',
      /'stage'/
    )
    expectError(
      await admin('POST', path, { apiId, stage: 'prod', apiMappingKey: '/v1' }),
      400,
      'BadRequestException',
      /'apiMappingKey'/
    )
    expectError(
      await admin('POST', path, { apiId, stage: 'prod', apiMappingKey: 'v1/../x' }),
      400,
      'BadRequestException',
      /'apiMappingKey'/
    )
    expect((await admin('POST', path, { apiId, stage: 'prod', apiMappingKey: 'v1' })).status).toBe(
      201
    )
    expectError(
      await admin('POST', path, { apiId, stage: 'prod', apiMappingKey: 'v1' }),
      409,
      'ConflictException'
    )
    expectError(
      await admin('POST', `/v2/domainnames/nope.example.org/apimappings`, { apiId, stage: 'prod' }),
      404,
      'NotFoundException'
    )
  })

  it('keeps mapped APIs and stages from being deleted (409)', async () => {
    const name = domain()
    await admin('POST', '/v2/domainnames', { domainName: name })
    const apiId = await apiWithStage()
    const m = await admin('POST', `/v2/domainnames/${name}/apimappings`, { apiId, stage: 'prod' })
    expectError(await admin('DELETE', `/v2/apis/${apiId}`), 409, 'ConflictException', /mapp/)
    expectError(
      await admin('DELETE', `/v2/apis/${apiId}/stages/prod`),
      409,
      'ConflictException',
      /mapp/
    )
    await admin('DELETE', `/v2/domainnames/${name}/apimappings/${String(m.json.apiMappingId)}`)
    expect((await admin('DELETE', `/v2/apis/${apiId}`)).status).toBe(204)
  })
})
