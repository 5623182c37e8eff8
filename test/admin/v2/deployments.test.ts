import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { admin, createHttpApi, createIntegration, expectError } from './helpers'

describe('v2 deployments', () => {
  it('snapshots the API and points the named stage at it', async () => {
    const apiId = await createHttpApi()
    const target = `integrations/${await createIntegration(apiId)}`
    await admin('POST', `/v2/apis/${apiId}/stages`, { stageName: 'prod' })
    await admin('POST', `/v2/apis/${apiId}/routes`, { routeKey: 'GET /a', target })
    const created = await admin('POST', `/v2/apis/${apiId}/deployments`, {
      description: 'first',
      stageName: 'prod',
    })
    expect(created.status).toBe(201)
    const id: string = created.json.deploymentId
    expect(created.json).toMatchObject({
      deploymentId: id,
      deploymentStatus: 'DEPLOYED',
      description: 'first',
      autoDeployed: false,
    })
    expect((await admin('GET', `/v2/apis/${apiId}/stages/prod`)).json.deploymentId).toBe(id)
    // Later changes do not touch the snapshot.
    await admin('POST', `/v2/apis/${apiId}/routes`, { routeKey: 'GET /b', target })
    const snapshot = JSON.parse((await env.ROUTES.get(`deployment/${apiId}/${id}`)) ?? '{}')
    expect(snapshot.api.routes.map((r: { routeKey: string }) => r.routeKey)).toEqual(['GET /a'])
    expect((await admin('GET', `/v2/apis/${apiId}/deployments/${id}`)).json).toEqual(created.json)
    const list = await admin('GET', `/v2/apis/${apiId}/deployments`)
    expect(list.json.items.map((d: { deploymentId: string }) => d.deploymentId)).toEqual([id])
  })

  it('refuses a deployment to a stage that does not exist', async () => {
    const apiId = await createHttpApi()
    expectError(
      await admin('POST', `/v2/apis/${apiId}/deployments`, { stageName: 'nope' }),
      400,
      'BadRequestException',
      /'stageName'/
    )
    expect((await admin('GET', `/v2/apis/${apiId}/deployments`)).json.items).toEqual([])
  })

  it('refuses to delete a deployment a stage serves, deletes it once unused', async () => {
    const apiId = await createHttpApi()
    await createIntegration(apiId)
    await admin('POST', `/v2/apis/${apiId}/stages`, { stageName: 'prod' })
    const d = await admin('POST', `/v2/apis/${apiId}/deployments`, { stageName: 'prod' })
    const id: string = d.json.deploymentId
    expectError(
      await admin('DELETE', `/v2/apis/${apiId}/deployments/${id}`),
      400,
      'BadRequestException',
      /Active stages/
    )
    await admin('DELETE', `/v2/apis/${apiId}/stages/prod`)
    expect((await admin('DELETE', `/v2/apis/${apiId}/deployments/${id}`)).status).toBe(204)
    expectError(await admin('GET', `/v2/apis/${apiId}/deployments/${id}`), 404, 'NotFoundException')
  })

  it('refuses a deployment that would not compile for the stage', async () => {
    const apiId = await createHttpApi()
    await admin('POST', `/v2/apis/${apiId}/stages`, { stageName: 'prod' })
    await admin('POST', `/v2/apis/${apiId}/routes`, { routeKey: 'GET /a' })
    expectError(
      await admin('POST', `/v2/apis/${apiId}/deployments`, { stageName: 'prod' }),
      400,
      'BadRequestException',
      /stage prod.*no integration/
    )
    expect((await admin('GET', `/v2/apis/${apiId}/deployments`)).json.items).toEqual([])
  })

  it('refuses unknown fields', async () => {
    const apiId = await createHttpApi()
    expectError(
      await admin('POST', `/v2/apis/${apiId}/deployments`, { stage: 'prod' }),
      400,
      'BadRequestException',
      /Unsupported field 'stage'/
    )
  })
})
