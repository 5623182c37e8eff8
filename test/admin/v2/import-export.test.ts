import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import petstore from '../../../../shared/external/openapi-aws/awsdocs-http-api-petstore-cors.json'
import { admin, createIntegration, expectError } from './helpers'

const PETSTORE = JSON.stringify(petstore)

function routeKeys(items: { routeKey: string }[]): string[] {
  return items.map((r) => r.routeKey).sort()
}

describe('v2 import and export', () => {
  it('imports an AWS HTTP API definition and exports it back as OAS30', async () => {
    const imported = await admin('PUT', '/v2/apis', { body: PETSTORE })
    expect(imported.status).toBe(201)
    const apiId: string = imported.json.apiId
    expect(imported.json).toMatchObject({
      name: 'Example Pet Store',
      protocolType: 'HTTP',
      apiEndpoint: `http://${apiId}.execute-api.localhost`,
    })
    const routes = await admin('GET', `/v2/apis/${apiId}/routes`)
    expect(routeKeys(routes.json.items)).toEqual(
      expect.arrayContaining(['GET /pets', 'POST /pets', 'GET /pets/{petId}'])
    )
    const integrations = await admin('GET', `/v2/apis/${apiId}/integrations`)
    expect(integrations.json.items[0]).toMatchObject({ integrationType: 'HTTP_PROXY' })

    const exported = await admin('GET', `/v2/apis/${apiId}/exports/OAS30?outputType=JSON`)
    expect(exported.status).toBe(200)
    expect(exported.json.openapi).toMatch(/^3\.0/)
    expect(Object.keys(exported.json.paths)).toEqual(
      expect.arrayContaining(['/pets', '/pets/{petId}'])
    )
    expect(exported.json.paths['/pets'].get['x-amazon-apigateway-integration']).toMatchObject({
      type: expect.stringMatching(/http_proxy/i),
      uri: 'http://petstore.execute-api.us-west-1.amazonaws.com/petstore/pets',
    })

    // The export imports again as the same route table.
    const again = await admin('PUT', '/v2/apis', { body: exported.text })
    expect(again.status).toBe(201)
    const routes2 = await admin('GET', `/v2/apis/${String(again.json.apiId)}/routes`)
    expect(routeKeys(routes2.json.items)).toEqual(routeKeys(routes.json.items))
  })

  it('exports YAML, and without extensions when asked', async () => {
    const imported = await admin('PUT', '/v2/apis', { body: PETSTORE })
    const apiId: string = imported.json.apiId
    const yaml = await admin(
      'GET',
      `/v2/apis/${apiId}/exports/OAS30?outputType=YAML&includeExtensions=false`
    )
    expect(yaml.status).toBe(200)
    const doc = parseYaml(yaml.text)
    expect(doc.paths['/pets']).toBeDefined()
    expect(JSON.stringify(doc)).not.toContain('x-amazon-apigateway')
  })

  it('reimports over an existing API, keeping its id and redeploying auto-deploy stages', async () => {
    const created = await admin('POST', '/v2/apis', {
      name: 'old',
      protocolType: 'HTTP',
      target: 'https://example.com',
    })
    const apiId: string = created.json.apiId
    const before: string = (await admin('GET', `/v2/apis/${apiId}/stages/$default`)).json
      .deploymentId
    const reply = await admin('PUT', `/v2/apis/${apiId}`, { body: PETSTORE })
    expect(reply.status).toBe(201)
    expect(reply.json).toMatchObject({ apiId, name: 'Example Pet Store' })
    expect(reply.json.createdDate).toBe(created.json.createdDate)
    const routes = await admin('GET', `/v2/apis/${apiId}/routes`)
    expect(routeKeys(routes.json.items)).not.toContain('$default')
    const after: string = (await admin('GET', `/v2/apis/${apiId}/stages/$default`)).json
      .deploymentId
    expect(after).not.toBe(before)
  })

  it('exports the API as deployed to a stage', async () => {
    const created = await admin('POST', '/v2/apis', { name: 'staged', protocolType: 'HTTP' })
    const apiId: string = created.json.apiId
    const target = `integrations/${await createIntegration(apiId)}`
    await admin('POST', `/v2/apis/${apiId}/routes`, { routeKey: 'GET /old', target })
    await admin('POST', `/v2/apis/${apiId}/stages`, { stageName: 'prod' })
    const d = await admin('POST', `/v2/apis/${apiId}/deployments`, { stageName: 'prod' })
    expect(d.status).toBe(201)
    await admin('POST', `/v2/apis/${apiId}/routes`, { routeKey: 'GET /new', target })
    const staged = await admin(
      'GET',
      `/v2/apis/${apiId}/exports/OAS30?outputType=JSON&stageName=prod`
    )
    expect(staged.status).toBe(200)
    expect(Object.keys(staged.json.paths)).toEqual(['/old'])
    const latest = await admin('GET', `/v2/apis/${apiId}/exports/OAS30?outputType=JSON`)
    expect(Object.keys(latest.json.paths).sort()).toEqual(['/new', '/old'])
  })

  it('refuses bad import and export requests', async () => {
    expectError(await admin('PUT', '/v2/apis', {}), 400, 'BadRequestException', /'body'/)
    expectError(await admin('PUT', '/v2/apis', { body: 'not: [valid' }), 400, 'BadRequestException')
    expectError(
      await admin('PUT', '/v2/apis?basepath=sideways', { body: PETSTORE }),
      400,
      'BadRequestException',
      /basepath/
    )
    const imported = await admin('PUT', '/v2/apis', { body: PETSTORE })
    const apiId: string = imported.json.apiId
    expectError(
      await admin('GET', `/v2/apis/${apiId}/exports/SWAGGER?outputType=JSON`),
      400,
      'BadRequestException',
      /specification/
    )
    expectError(
      await admin('GET', `/v2/apis/${apiId}/exports/OAS30?outputType=XML`),
      400,
      'BadRequestException',
      /outputType/
    )
    expectError(
      await admin('GET', `/v2/apis/${apiId}/exports/OAS30?outputType=JSON&stageName=nope`),
      400,
      'BadRequestException',
      /stageName/
    )
    expectError(
      await admin('PUT', '/v2/apis/zzzzzzzzzz', { body: PETSTORE }),
      404,
      'NotFoundException'
    )
  })
})
