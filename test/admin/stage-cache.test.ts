import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { StageConfig } from '../../src/config/types'
import { admin, awsError, deploy, importApi } from './helpers'

interface StageOut {
  stageName: string
  cacheClusterEnabled: boolean
  cacheClusterStatus: string
  methodSettings: Record<string, Record<string, unknown>>
}

async function patch(apiId: string, stage: string, ops: unknown[]): Promise<Response> {
  return admin('PATCH', `/restapis/${apiId}/stages/${stage}`, { patchOperations: ops })
}

async function storedStage(apiId: string, stage: string): Promise<StageConfig | null> {
  return env.ROUTES.get<StageConfig>(`stage/${apiId}/${stage}`, 'json')
}

async function apiWithProdStage(): Promise<string> {
  const apiId = await importApi()
  await deploy(apiId, { stageName: 'prod' })
  return apiId
}

describe('FlushStageCache', () => {
  it('answers 202 and bumps the stage cache generation on every flush', async () => {
    const apiId = await apiWithProdStage()
    expect((await storedStage(apiId, 'prod'))?.cacheGeneration).toBeUndefined()
    const first = await admin('DELETE', `/restapis/${apiId}/stages/prod/cache/data`)
    expect(first.status).toBe(202)
    expect(await first.text()).toBe('')
    expect((await storedStage(apiId, 'prod'))?.cacheGeneration).toBe(1)
    expect((await admin('DELETE', `/restapis/${apiId}/stages/prod/cache/data`)).status).toBe(202)
    expect((await storedStage(apiId, 'prod'))?.cacheGeneration).toBe(2)
  })

  it('keeps the rest of the stage unchanged', async () => {
    const apiId = await apiWithProdStage()
    await patch(apiId, 'prod', [{ op: 'replace', path: '/cacheClusterEnabled', value: 'true' }])
    const before = await storedStage(apiId, 'prod')
    await admin('DELETE', `/restapis/${apiId}/stages/prod/cache/data`)
    expect(await storedStage(apiId, 'prod')).toEqual({ ...before, cacheGeneration: 1 })
  })

  it('records the flush in the audit log', async () => {
    const apiId = await apiWithProdStage()
    await admin('DELETE', `/restapis/${apiId}/stages/prod/cache/data`)
    const rows = await env.DB.prepare(
      'SELECT action FROM admin_audit_log WHERE resource = ? ORDER BY id'
    )
      .bind(`/restapis/${apiId}/stages/prod`)
      .all<{ action: string }>()
    expect(rows.results.map((r) => r.action)).toEqual(['CreateDeployment', 'FlushStageCache'])
  })

  it('answers 404 NotFoundException for an unknown stage or API', async () => {
    const apiId = await apiWithProdStage()
    const e = await awsError(await admin('DELETE', `/restapis/${apiId}/stages/nope/cache/data`))
    expect(e).toMatchObject({ status: 404, type: 'NotFoundException' })
    expect((await admin('DELETE', '/restapis/abcdefghij/stages/prod/cache/data')).status).toBe(404)
  })
})

describe('FlushStageAuthorizersCache', () => {
  it('answers 202 and bumps only the stage authorizer cache generation (every isolate)', async () => {
    const apiId = await apiWithProdStage()
    const before = await storedStage(apiId, 'prod')
    const res = await admin('DELETE', `/restapis/${apiId}/stages/prod/cache/authorizers`)
    expect(res.status).toBe(202)
    const after = await storedStage(apiId, 'prod')
    expect(after).toEqual({
      ...before,
      authorizerCacheGeneration: 1,
      lastUpdatedDate: after?.lastUpdatedDate,
    })
    await admin('DELETE', `/restapis/${apiId}/stages/prod/cache/authorizers`)
    expect((await storedStage(apiId, 'prod'))?.authorizerCacheGeneration).toBe(2)
    expect((await admin('DELETE', `/restapis/${apiId}/stages/nope/cache/authorizers`)).status).toBe(
      404
    )
  })
})

describe('Stage cache cluster settings', () => {
  it('reports the cache cluster as NOT_AVAILABLE until the stage enables it', async () => {
    const apiId = await apiWithProdStage()
    const stage: StageOut = await (await admin('GET', `/restapis/${apiId}/stages/prod`)).json()
    expect(stage).toMatchObject({ cacheClusterEnabled: false, cacheClusterStatus: 'NOT_AVAILABLE' })
  })

  it('turns the cache cluster on and off with /cacheClusterEnabled', async () => {
    const apiId = await apiWithProdStage()
    let res = await patch(apiId, 'prod', [
      { op: 'replace', path: '/cacheClusterEnabled', value: 'true' },
    ])
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      cacheClusterEnabled: true,
      cacheClusterStatus: 'AVAILABLE',
    })
    expect((await storedStage(apiId, 'prod'))?.cacheClusterEnabled).toBe(true)
    const got: StageOut = await (await admin('GET', `/restapis/${apiId}/stages/prod`)).json()
    expect(got.cacheClusterStatus).toBe('AVAILABLE')
    res = await patch(apiId, 'prod', [
      { op: 'replace', path: '/cacheClusterEnabled', value: 'false' },
    ])
    expect(await res.json()).toMatchObject({
      cacheClusterEnabled: false,
      cacheClusterStatus: 'NOT_AVAILABLE',
    })
    expect((await storedStage(apiId, 'prod'))?.cacheClusterEnabled).toBeUndefined()
  })

  it('accepts every AWS cache cluster size without storing it', async () => {
    const apiId = await apiWithProdStage()
    const before = await storedStage(apiId, 'prod')
    for (const size of ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237']) {
      const res = await patch(apiId, 'prod', [
        { op: 'replace', path: '/cacheClusterSize', value: size },
      ])
      expect(res.status, size).toBe(200)
    }
    const after = await storedStage(apiId, 'prod')
    expect({ ...after, lastUpdatedDate: '' }).toEqual({ ...before, lastUpdatedDate: '' })
  })

  it('refuses invalid cache cluster values with 400 naming the path', async () => {
    const apiId = await apiWithProdStage()
    for (const op of [
      { op: 'replace', path: '/cacheClusterEnabled', value: 'yes' },
      { op: 'replace', path: '/cacheClusterEnabled' },
      { op: 'replace', path: '/cacheClusterSize', value: '2' },
      { op: 'remove', path: '/cacheClusterEnabled' },
    ]) {
      const e = await awsError(await patch(apiId, 'prod', [op]))
      expect(e.status, JSON.stringify(op)).toBe(400)
      expect(e.message, JSON.stringify(op)).toContain(op.path)
    }
  })

  it('creates a stage with the cache cluster enabled', async () => {
    const apiId = await importApi()
    const deploymentId = await deploy(apiId)
    const res = await admin('POST', `/restapis/${apiId}/stages`, {
      stageName: 'cached',
      deploymentId,
      cacheClusterEnabled: true,
      cacheClusterSize: '0.5',
    })
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({
      cacheClusterEnabled: true,
      cacheClusterStatus: 'AVAILABLE',
    })
    expect((await storedStage(apiId, 'cached'))?.cacheClusterEnabled).toBe(true)
  })

  it('refuses a CreateStage with an invalid cache cluster size or flag', async () => {
    const apiId = await importApi()
    const deploymentId = await deploy(apiId)
    for (const extra of [{ cacheClusterSize: '3' }, { cacheClusterEnabled: 'true' }]) {
      const res = await admin('POST', `/restapis/${apiId}/stages`, {
        stageName: 's',
        deploymentId,
        ...extra,
      })
      expect(res.status, JSON.stringify(extra)).toBe(400)
    }
    expect(await storedStage(apiId, 's')).toBeNull()
  })

  it('creates and updates a stage cache through CreateDeployment', async () => {
    const apiId = await importApi()
    await deploy(apiId, { stageName: 'prod', cacheClusterEnabled: true, cacheClusterSize: '0.5' })
    expect((await storedStage(apiId, 'prod'))?.cacheClusterEnabled).toBe(true)
    // A redeploy that leaves the flag out keeps the stage's cache as it is.
    await deploy(apiId, { stageName: 'prod' })
    expect((await storedStage(apiId, 'prod'))?.cacheClusterEnabled).toBe(true)
    await deploy(apiId, { stageName: 'prod', cacheClusterEnabled: false })
    expect((await storedStage(apiId, 'prod'))?.cacheClusterEnabled).toBeUndefined()
  })

  it('refuses a CreateDeployment with an invalid cache cluster size and keeps no deployment', async () => {
    const apiId = await importApi()
    const res = await admin('POST', `/restapis/${apiId}/deployments`, {
      stageName: 'prod',
      cacheClusterSize: '1',
    })
    expect(res.status).toBe(400)
    expect(await storedStage(apiId, 'prod')).toBeNull()
    const list: { items?: unknown[]; item?: unknown[] } = await (
      await admin('GET', `/restapis/${apiId}/deployments`)
    ).json()
    expect(list.items ?? list.item ?? []).toEqual([])
  })
})

describe('Method cache settings', () => {
  it('sets the AWS caching fields for the stage and one method', async () => {
    const apiId = await apiWithProdStage()
    const res = await patch(apiId, 'prod', [
      { op: 'replace', path: '/*/*/caching/enabled', value: 'true' },
      { op: 'replace', path: '/*/*/caching/requireAuthorizationForCacheControl', value: 'false' },
      {
        op: 'replace',
        path: '/*/*/caching/unauthorizedCacheControlHeaderStrategy',
        value: 'FAIL_WITH_403',
      },
      { op: 'replace', path: '/*/*/caching/cacheNonSuccessResponses', value: 'true' },
      { op: 'replace', path: '/~1pets~1{petId}/GET/caching/ttlInSeconds', value: '30' },
      {
        op: 'replace',
        path: '/~1pets~1{petId}/GET/caching/unauthorizedCacheControlHeaderStrategy',
        value: 'SUCCEED_WITHOUT_RESPONSE_HEADER',
      },
      {
        op: 'replace',
        path: '/~1pets~1{petId}/GET/caching/requireAuthorizationForCacheControl',
        value: 'true',
      },
    ])
    expect(res.status).toBe(200)
    const stage: StageOut = await res.json()
    expect(stage.methodSettings['*/*']).toMatchObject({
      cachingEnabled: true,
      cacheTtlInSeconds: 300,
      requireAuthorizationForCacheControl: false,
      unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403',
      cacheNonSuccessResponses: true,
    })
    expect(stage.methodSettings['~1pets~1{petId}/GET']).toMatchObject({
      cacheTtlInSeconds: 30,
      requireAuthorizationForCacheControl: true,
      unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITHOUT_RESPONSE_HEADER',
    })
    const stored = await storedStage(apiId, 'prod')
    expect(stored?.defaultRouteSettings).toEqual({
      cachingEnabled: true,
      requireAuthorizationForCacheControl: false,
      unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403',
      cacheNonSuccessResponses: true,
    })
    expect(stored?.routeSettings).toEqual({
      'GET /pets/{petId}': {
        cacheTtlInSeconds: 30,
        requireAuthorizationForCacheControl: true,
        unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITHOUT_RESPONSE_HEADER',
      },
    })
  })

  it('shows the AWS defaults for caching fields that were never set', async () => {
    const apiId = await apiWithProdStage()
    const res = await patch(apiId, 'prod', [
      { op: 'replace', path: '/*/*/throttling/rateLimit', value: '10' },
    ])
    const stage: StageOut = await res.json()
    expect(stage.methodSettings['*/*']).toMatchObject({
      cachingEnabled: false,
      cacheTtlInSeconds: 300,
      cacheDataEncrypted: false,
      requireAuthorizationForCacheControl: true,
      unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
    })
    expect(stage.methodSettings['*/*']).not.toHaveProperty('cacheNonSuccessResponses')
  })

  it('refuses invalid caching values with 400 naming the path', async () => {
    const apiId = await apiWithProdStage()
    for (const op of [
      { op: 'replace', path: '/*/*/caching/requireAuthorizationForCacheControl', value: '1' },
      { op: 'replace', path: '/*/*/caching/unauthorizedCacheControlHeaderStrategy', value: 'DENY' },
      {
        op: 'replace',
        path: '/~1pets/GET/caching/unauthorizedCacheControlHeaderStrategy',
        value: 'fail_with_403',
      },
      { op: 'replace', path: '/*/*/caching/cacheNonSuccessResponses', value: 'always' },
      { op: 'replace', path: '/~1pets/GET/caching/ttlInSeconds', value: '-1' },
      { op: 'replace', path: '/*/*/caching/unknownField', value: 'true' },
    ]) {
      const e = await awsError(await patch(apiId, 'prod', [op]))
      expect(e.status, op.path).toBe(400)
      expect(e.message, op.path).toContain(op.path)
    }
    expect((await storedStage(apiId, 'prod'))?.defaultRouteSettings).toBeUndefined()
  })
})
