import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { admin, awsError, deploy, importApi } from './helpers'

interface StageDoc {
  deploymentId?: string
  variables?: Record<string, string>
  description?: string
  canarySettings?: { deploymentId: string; percentTraffic: number }
}

async function storedStage(apiId: string, name: string): Promise<StageDoc | null> {
  return env.ROUTES.get(`stage/${apiId}/${name}`, 'json')
}

describe('CreateDeployment', () => {
  it('snapshots the API and answers 201 with id and epoch-second createdDate', async () => {
    const apiId = await importApi()
    const res = await admin('POST', `/restapis/${apiId}/deployments`, { description: 'first' })
    expect(res.status).toBe(201)
    const d: { id: string; createdDate: number; description: string } = await res.json()
    expect(d.description).toBe('first')
    expect(typeof d.createdDate).toBe('number')
    const snap: { api: { id: string; routes: unknown[] } } | null = await env.ROUTES.get(
      `deployment/${apiId}/${d.id}`,
      'json'
    )
    expect(snap?.api.id).toBe(apiId)
    expect(snap?.api.routes).toHaveLength(2)
  })

  it('keeps the snapshot when the API changes afterwards', async () => {
    const apiId = await importApi()
    const id = await deploy(apiId)
    await admin('PATCH', `/restapis/${apiId}`, {
      patchOperations: [{ op: 'replace', path: '/name', value: 'Later' }],
    })
    const snap: { api: { name: string } } | null = await env.ROUTES.get(
      `deployment/${apiId}/${id}`,
      'json'
    )
    expect(snap?.api.name).toBe('Pets')
  })

  it('creates the named stage pointing at the deployment, with variables', async () => {
    const apiId = await importApi()
    const id = await deploy(apiId, {
      stageName: 'dev',
      stageDescription: 'Dev',
      variables: { a: '1' },
    })
    expect(await storedStage(apiId, 'dev')).toMatchObject({
      deploymentId: id,
      description: 'Dev',
      variables: { a: '1' },
    })
  })

  it('repoints an existing stage and merges variables', async () => {
    const apiId = await importApi()
    await deploy(apiId, { stageName: 'dev', variables: { a: '1' } })
    const second = await deploy(apiId, { stageName: 'dev', variables: { b: '2' } })
    expect(await storedStage(apiId, 'dev')).toMatchObject({
      deploymentId: second,
      variables: { a: '1', b: '2' },
    })
  })

  it('with canarySettings, makes the deployment the canary of an existing stage', async () => {
    const apiId = await importApi()
    const base = await deploy(apiId, { stageName: 'prod' })
    const canary = await deploy(apiId, {
      stageName: 'prod',
      canarySettings: { percentTraffic: 10 },
    })
    expect(await storedStage(apiId, 'prod')).toMatchObject({
      deploymentId: base,
      canarySettings: { deploymentId: canary, percentTraffic: 10 },
    })
  })

  it('refuses a canary for a stage that does not exist', async () => {
    const apiId = await importApi()
    const res = await admin('POST', `/restapis/${apiId}/deployments`, {
      stageName: 'nope',
      canarySettings: { percentTraffic: 10 },
    })
    expect((await awsError(res)).status).toBe(400)
  })

  it('refuses an out-of-range canary percentage and writes no deployment', async () => {
    const apiId = await importApi()
    await deploy(apiId, { stageName: 'prod' })
    const res = await admin('POST', `/restapis/${apiId}/deployments`, {
      stageName: 'prod',
      canarySettings: { percentTraffic: 101 },
    })
    expect(res.status).toBe(400)
    expect((await env.ROUTES.list({ prefix: `deployment/${apiId}/` })).keys).toHaveLength(1)
  })

  it('refuses an invalid stage name', async () => {
    const apiId = await importApi()
    const e = await awsError(
      await admin('POST', `/restapis/${apiId}/deployments`, { stageName: 'a/b' })
    )
    expect(e).toMatchObject({ status: 400, type: 'BadRequestException' })
  })

  it('refuses to deploy an API without methods', async () => {
    const created: { id: string } = await (await admin('POST', '/restapis', { name: 'e' })).json()
    const e = await awsError(await admin('POST', `/restapis/${created.id}/deployments`, {}))
    expect(e).toMatchObject({ status: 400, message: "The REST API doesn't contain any methods" })
  })

  it('answers 404 for an unknown API', async () => {
    expect((await admin('POST', '/restapis/zzzzzzzzzz/deployments', {})).status).toBe(404)
  })
})

describe('GetDeployments / GetDeployment / DeleteDeployment', () => {
  it('lists and reads deployments, with apiSummary on request', async () => {
    const apiId = await importApi()
    const id = await deploy(apiId)
    const list: { item: { id: string }[] } = await (
      await admin('GET', `/restapis/${apiId}/deployments`)
    ).json()
    expect(list.item.map((d) => d.id)).toEqual([id])
    const one = await admin('GET', `/restapis/${apiId}/deployments/${id}?embed=apisummary`)
    expect(await one.json()).toMatchObject({
      id,
      apiSummary: { '/pets': { GET: { authorizationType: 'NONE', apiKeyRequired: false } } },
    })
  })

  it('answers 404 for an unknown deployment', async () => {
    const apiId = await importApi()
    const e = await awsError(await admin('GET', `/restapis/${apiId}/deployments/nope123`))
    expect(e).toMatchObject({ status: 404, type: 'NotFoundException' })
  })

  it('refuses to delete a deployment a stage points at', async () => {
    const apiId = await importApi()
    const id = await deploy(apiId, { stageName: 'prod' })
    const e = await awsError(await admin('DELETE', `/restapis/${apiId}/deployments/${id}`))
    expect(e).toEqual({
      status: 400,
      type: 'BadRequestException',
      message: 'Active stages pointing to this deployment must be moved or deleted',
    })
  })

  it('refuses to delete a deployment a canary points at', async () => {
    const apiId = await importApi()
    await deploy(apiId, { stageName: 'prod' })
    const canary = await deploy(apiId, { stageName: 'prod', canarySettings: { percentTraffic: 5 } })
    expect((await admin('DELETE', `/restapis/${apiId}/deployments/${canary}`)).status).toBe(400)
  })

  it('deletes an unused deployment with 202', async () => {
    const apiId = await importApi()
    const id = await deploy(apiId)
    expect((await admin('DELETE', `/restapis/${apiId}/deployments/${id}`)).status).toBe(202)
    expect(await env.ROUTES.get(`deployment/${apiId}/${id}`)).toBeNull()
  })
})

describe('stage variables checked against the deployment', () => {
  const templated = {
    openapi: '3.0.1',
    info: { title: 'Templated', version: '1' },
    paths: {
      '/items': {
        get: {
          'x-amazon-apigateway-integration': {
            type: 'http_proxy',
            httpMethod: 'GET',
            uri: 'https://${stageVariables.backend}/items',
          },
        },
      },
    },
  }

  it('refuses a stage whose variables point an upstream at a metadata address', async () => {
    const apiId = await importApi(templated)
    const res = await admin('POST', `/restapis/${apiId}/deployments`, {
      stageName: 'prod',
      variables: { backend: '169.254.169.254' },
    })
    const e = await awsError(res)
    expect(e).toMatchObject({ status: 400, type: 'BadRequestException' })
    expect(e.message).toContain('/deploymentId')
    expect(await env.ROUTES.get(`stage/${apiId}/prod`)).toBeNull()
    expect((await env.ROUTES.list({ prefix: `deployment/${apiId}/` })).keys).toHaveLength(0)
  })

  it('refuses an UpdateStage that sets such a variable, and keeps the stage as it was', async () => {
    const apiId = await importApi(templated)
    await deploy(apiId, { stageName: 'prod', variables: { backend: 'example.com' } })
    const res = await admin('PATCH', `/restapis/${apiId}/stages/prod`, {
      patchOperations: [{ op: 'replace', path: '/variables/backend', value: '127.0.0.1' }],
    })
    expect((await awsError(res)).status).toBe(400)
    const stored: { variables?: Record<string, string> } | null = await env.ROUTES.get(
      `stage/${apiId}/prod`,
      'json'
    )
    expect(stored?.variables).toEqual({ backend: 'example.com' })
  })
})
