import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { admin, awsError, deploy, importApi } from './helpers'

interface StageOut {
  stageName: string
  deploymentId?: string
  description?: string
  variables?: Record<string, string>
  canarySettings?: {
    deploymentId: string
    percentTraffic: number
    stageVariableOverrides?: Record<string, string>
  }
  accessLogSettings?: { format: string }
  methodSettings: Record<string, Record<string, unknown>>
  createdDate: number
  lastUpdatedDate: number
}

async function patch(apiId: string, stage: string, ops: unknown[]): Promise<Response> {
  return admin('PATCH', `/restapis/${apiId}/stages/${stage}`, { patchOperations: ops })
}

async function stageWithTwoDeployments(): Promise<{
  apiId: string
  first: string
  second: string
}> {
  const apiId = await importApi()
  const first = await deploy(apiId, { stageName: 'prod' })
  const second = await deploy(apiId)
  return { apiId, first, second }
}

describe('CreateStage / GetStage / GetStages / DeleteStage', () => {
  it('creates a stage on a deployment and reads it back in AWS shape', async () => {
    const apiId = await importApi()
    const deploymentId = await deploy(apiId)
    const res = await admin('POST', `/restapis/${apiId}/stages`, {
      stageName: 'beta',
      deploymentId,
      description: 'Beta',
      variables: { backend: 'b1' },
    })
    expect(res.status).toBe(201)
    const stage: StageOut = await res.json()
    expect(stage).toMatchObject({ stageName: 'beta', deploymentId, variables: { backend: 'b1' } })
    expect(typeof stage.createdDate).toBe('number')
    expect(await (await admin('GET', `/restapis/${apiId}/stages/beta`)).json()).toEqual(stage)
    const list: { item: StageOut[] } = await (
      await admin('GET', `/restapis/${apiId}/stages`)
    ).json()
    expect(list.item.map((s) => s.stageName)).toEqual(['beta'])
  })

  it('answers 409 ConflictException for an existing stage', async () => {
    const apiId = await importApi()
    const deploymentId = await deploy(apiId, { stageName: 'prod' })
    const e = await awsError(
      await admin('POST', `/restapis/${apiId}/stages`, { stageName: 'prod', deploymentId })
    )
    expect(e).toMatchObject({ status: 409, type: 'ConflictException' })
  })

  it('refuses an unknown deployment, a missing name and a bad name', async () => {
    const apiId = await importApi()
    const deploymentId = await deploy(apiId)
    expect(
      (await admin('POST', `/restapis/${apiId}/stages`, { stageName: 's', deploymentId: 'nope' }))
        .status
    ).toBe(404)
    expect((await admin('POST', `/restapis/${apiId}/stages`, { deploymentId })).status).toBe(400)
    expect(
      (await admin('POST', `/restapis/${apiId}/stages`, { stageName: 'a b', deploymentId })).status
    ).toBe(400)
    expect(
      (
        await admin('POST', `/restapis/${apiId}/stages`, {
          stageName: 's',
          deploymentId,
          variables: [],
        })
      ).status
    ).toBe(400)
  })

  it('answers 404 for an unknown stage and deletes a stage with 202', async () => {
    const apiId = await importApi()
    await deploy(apiId, { stageName: 'prod' })
    expect((await admin('GET', `/restapis/${apiId}/stages/nope`)).status).toBe(404)
    expect((await admin('DELETE', `/restapis/${apiId}/stages/prod`)).status).toBe(202)
    expect(await env.ROUTES.get(`stage/${apiId}/prod`)).toBeNull()
    expect((await admin('DELETE', `/restapis/${apiId}/stages/prod`)).status).toBe(404)
  })
})

describe('UpdateStage', () => {
  it('rolls back by repointing /deploymentId', async () => {
    const { apiId, first, second } = await stageWithTwoDeployments()
    await patch(apiId, 'prod', [{ op: 'replace', path: '/deploymentId', value: second }])
    const res = await patch(apiId, 'prod', [{ op: 'replace', path: '/deploymentId', value: first }])
    expect(res.status).toBe(200)
    expect((await res.json<StageOut>()).deploymentId).toBe(first)
  })

  it('refuses to point at a deployment that does not exist', async () => {
    const { apiId } = await stageWithTwoDeployments()
    const res = await patch(apiId, 'prod', [
      { op: 'replace', path: '/deploymentId', value: 'nope' },
    ])
    expect((await awsError(res)).status).toBe(400)
  })

  it('replaces and removes stage variables and the description', async () => {
    const { apiId } = await stageWithTwoDeployments()
    await patch(apiId, 'prod', [
      { op: 'replace', path: '/variables/a', value: '1' },
      { op: 'replace', path: '/variables/b', value: '2' },
      { op: 'replace', path: '/description', value: 'Production' },
    ])
    const res = await patch(apiId, 'prod', [{ op: 'remove', path: '/variables/a' }])
    expect(await res.json()).toMatchObject({ variables: { b: '2' }, description: 'Production' })
  })

  it('sets the access log format', async () => {
    const { apiId } = await stageWithTwoDeployments()
    const res = await patch(apiId, 'prod', [
      { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId' },
    ])
    expect((await res.json<StageOut>()).accessLogSettings).toEqual({
      format: '$context.requestId',
    })
  })

  it('sets stage-wide and per-method throttling and caching', async () => {
    const { apiId } = await stageWithTwoDeployments()
    const res = await patch(apiId, 'prod', [
      { op: 'replace', path: '/*/*/throttling/rateLimit', value: '100' },
      { op: 'replace', path: '/*/*/throttling/burstLimit', value: '200' },
      { op: 'replace', path: '/*/*/caching/enabled', value: 'true' },
      { op: 'replace', path: '/*/*/caching/ttlInSeconds', value: '60' },
      { op: 'replace', path: '/~1pets~1{petId}/GET/throttling/rateLimit', value: '5' },
    ])
    expect(res.status).toBe(200)
    const stage: StageOut = await res.json()
    expect(stage.methodSettings['*/*']).toMatchObject({
      throttlingRateLimit: 100,
      throttlingBurstLimit: 200,
      cachingEnabled: true,
      cacheTtlInSeconds: 60,
    })
    expect(stage.methodSettings['~1pets~1{petId}/GET']).toMatchObject({ throttlingRateLimit: 5 })
    const stored: { routeSettings?: Record<string, unknown> } | null = await env.ROUTES.get(
      `stage/${apiId}/prod`,
      'json'
    )
    expect(stored?.routeSettings).toEqual({ 'GET /pets/{petId}': { throttlingRateLimit: 5 } })
  })

  it('refuses bad values and unknown paths with 400 naming the path', async () => {
    const { apiId } = await stageWithTwoDeployments()
    for (const op of [
      { op: 'replace', path: '/*/*/throttling/rateLimit', value: 'fast' },
      { op: 'replace', path: '/*/*/caching/ttlInSeconds', value: '99999' },
      { op: 'replace', path: '/*/*/caching/enabled', value: 'yes' },
      { op: 'replace', path: '/stageName', value: 'x' },
      { op: 'replace', path: '/*/*/throttling/unknown', value: '1' },
      { op: 'replace', path: '/canarySettings/percentTraffic', value: '150' },
    ]) {
      const e = await awsError(await patch(apiId, 'prod', [op]))
      expect(e.status, op.path).toBe(400)
      expect(e.message, op.path).toContain(op.path)
    }
  })

  it('answers 404 for an unknown stage', async () => {
    const apiId = await importApi()
    expect((await patch(apiId, 'nope', [])).status).toBe(404)
  })

  it('runs a canary: set percentage and overrides, then promote as AWS documents', async () => {
    const { apiId, first, second } = await stageWithTwoDeployments()
    let res = await patch(apiId, 'prod', [
      { op: 'replace', path: '/canarySettings/deploymentId', value: second },
      { op: 'replace', path: '/canarySettings/percentTraffic', value: '25.5' },
      { op: 'replace', path: '/canarySettings/stageVariableOverrides/backend', value: 'v2' },
    ])
    expect(await res.json()).toMatchObject({
      deploymentId: first,
      canarySettings: {
        deploymentId: second,
        percentTraffic: 25.5,
        stageVariableOverrides: { backend: 'v2' },
      },
    })
    // AWS "Promote a canary release": copy the canary's deployment and overrides, then remove it.
    res = await patch(apiId, 'prod', [
      { op: 'copy', from: '/canarySettings/stageVariableOverrides', path: '/variables' },
      { op: 'copy', from: '/canarySettings/deploymentId', path: '/deploymentId' },
      { op: 'remove', path: '/canarySettings' },
    ])
    const promoted: StageOut = await res.json()
    expect(promoted.deploymentId).toBe(second)
    expect(promoted.variables).toEqual({ backend: 'v2' })
    expect(promoted.canarySettings).toBeUndefined()
  })

  it('refuses a canary without a deployment', async () => {
    const { apiId } = await stageWithTwoDeployments()
    const res = await patch(apiId, 'prod', [
      { op: 'replace', path: '/canarySettings/percentTraffic', value: '10' },
    ])
    expect((await awsError(res)).message).toContain('canarySettings.deploymentId')
  })

  it('records every stage write in the audit log', async () => {
    const { apiId } = await stageWithTwoDeployments()
    await patch(apiId, 'prod', [{ op: 'replace', path: '/description', value: 'x' }])
    const rows = await env.DB.prepare(
      'SELECT action FROM admin_audit_log WHERE resource = ? ORDER BY id'
    )
      .bind(`/restapis/${apiId}/stages/prod`)
      .all<{ action: string }>()
    expect(rows.results.map((r) => r.action)).toEqual(['CreateDeployment', 'UpdateStage'])
  })
})
