import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { admin, createHttpApi, createIntegration, expectError } from './helpers'

describe('v2 stages', () => {
  it('creates, gets, lists, updates and deletes a stage', async () => {
    const apiId = await createHttpApi()
    const deployment = await admin('POST', `/v2/apis/${apiId}/deployments`, {})
    const input = {
      stageName: 'dev',
      deploymentId: deployment.json.deploymentId,
      description: 'development',
      stageVariables: { backend: 'api.example.com' },
      accessLogSettings: { format: '$context.requestId', destinationArn: 'arn:aws:logs:x' },
      defaultRouteSettings: { throttlingBurstLimit: 10, throttlingRateLimit: 5.5 },
      routeSettings: { 'GET /pets': { detailedMetricsEnabled: true, loggingLevel: 'INFO' } },
      tags: { env: 'dev' },
    }
    const created = await admin('POST', `/v2/apis/${apiId}/stages`, input)
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({ ...input, autoDeploy: false })
    const stored = JSON.parse((await env.ROUTES.get(`stage/${apiId}/dev`)) ?? '{}')
    expect(stored.variables).toEqual({ backend: 'api.example.com' })
    expect((await admin('GET', `/v2/apis/${apiId}/stages/dev`)).json).toEqual(created.json)
    expect((await admin('GET', `/v2/apis/${apiId}/stages`)).json.items).toEqual([created.json])
    const updated = await admin('PATCH', `/v2/apis/${apiId}/stages/dev`, {
      stageVariables: { backend: 'other.example.com' },
      accessLogSettings: {},
    })
    expect(updated.status).toBe(200)
    expect(updated.json.stageVariables).toEqual({ backend: 'other.example.com' })
    expect(updated.json.accessLogSettings).toBeUndefined()
    expect((await admin('DELETE', `/v2/apis/${apiId}/stages/dev`)).status).toBe(204)
    expectError(await admin('GET', `/v2/apis/${apiId}/stages/dev`), 404, 'NotFoundException')
  })

  it('ResetAuthorizersCache answers 204 and bumps the stage authorizer cache generation', async () => {
    const apiId = await createHttpApi()
    expect((await admin('POST', `/v2/apis/${apiId}/stages`, { stageName: 'dev' })).status).toBe(201)
    const generation = async (): Promise<unknown> => {
      const stored = (await env.ROUTES.get(`stage/${apiId}/dev`)) ?? '{}'
      return (JSON.parse(stored) as { authorizerCacheGeneration?: number })
        .authorizerCacheGeneration
    }
    expect(await generation()).toBeUndefined()
    const reset = await admin('DELETE', `/v2/apis/${apiId}/stages/dev/cache/authorizers`)
    expect(reset.status).toBe(204)
    expect(await generation()).toBe(1)
    await admin('DELETE', `/v2/apis/${apiId}/stages/dev/cache/authorizers`)
    expect(await generation()).toBe(2)
    expectError(
      await admin('DELETE', `/v2/apis/${apiId}/stages/nope/cache/authorizers`),
      404,
      'NotFoundException'
    )
  })

  it('refuses a duplicate stage with 409 and $default on WebSocket APIs with 400', async () => {
    const apiId = await createHttpApi()
    expect((await admin('POST', `/v2/apis/${apiId}/stages`, { stageName: 'dev' })).status).toBe(201)
    expectError(
      await admin('POST', `/v2/apis/${apiId}/stages`, { stageName: 'dev' }),
      409,
      'ConflictException'
    )
    expect(
      (await admin('POST', `/v2/apis/${apiId}/stages`, { stageName: '$default' })).status
    ).toBe(201)
    const ws = await admin('POST', '/v2/apis', {
      name: 'ws',
      protocolType: 'WEBSOCKET',
      routeSelectionExpression: '$request.body.action',
    })
    expectError(
      await admin('POST', `/v2/apis/${String(ws.json.apiId)}/stages`, { stageName: '$default' }),
      400,
      'BadRequestException',
      /\$default/
    )
  })

  it.each([
    [{ stageName: 'bad name' }, /Invalid 'stageName'/],
    [{ stageName: '@connections' }, /Invalid 'stageName'/],
    [{ stageName: 'dev', stageVariables: { 'bad-name': 'x' } }, /'stageVariables\.bad-name'/],
    [{ stageName: 'dev', stageVariables: { url: 'a b' } }, /'stageVariables\.url'/],
    [{ stageName: 'dev', stageVariables: { url: 1 } }, /'stageVariables\.url' must be a string/],
    [{ stageName: 'dev', deploymentId: 'nope' }, /'deploymentId': deployment nope does not exist/],
    [
      { stageName: 'dev', defaultRouteSettings: { loggingLevel: 'LOUD' } },
      /'defaultRouteSettings\.loggingLevel' must be one of/,
    ],
    [
      { stageName: 'dev', routeSettings: { 'GET /x': { throttlingBurstLimit: 1.5 } } },
      /'routeSettings\.GET \/x\.throttlingBurstLimit' must be an integer/,
    ],
    [{ stageName: 'dev', clientCertificateId: 'x' }, /Unsupported field 'clientCertificateId'/],
  ])('refuses CreateStage %j with a 400 naming the field', async (body, pattern) => {
    const apiId = await createHttpApi()
    expectError(
      await admin('POST', `/v2/apis/${apiId}/stages`, body),
      400,
      'BadRequestException',
      pattern
    )
    expect((await admin('GET', `/v2/apis/${apiId}/stages`)).json.items).toEqual([])
  })

  it('auto-deploys: every API change makes a new deployment and repoints the stage', async () => {
    const apiId = await createHttpApi()
    const stage = await admin('POST', `/v2/apis/${apiId}/stages`, {
      stageName: 'live',
      autoDeploy: true,
    })
    const first: string = stage.json.deploymentId
    expect(first).toBeTruthy()
    const integrationId = await createIntegration(apiId)
    const second: string = (await admin('GET', `/v2/apis/${apiId}/stages/live`)).json.deploymentId
    expect(second).not.toBe(first)
    await admin('POST', `/v2/apis/${apiId}/routes`, {
      routeKey: 'GET /pets',
      target: `integrations/${integrationId}`,
    })
    const third: string = (await admin('GET', `/v2/apis/${apiId}/stages/live`)).json.deploymentId
    expect(third).not.toBe(second)
    const snapshot = JSON.parse((await env.ROUTES.get(`deployment/${apiId}/${third}`)) ?? '{}')
    expect(snapshot.api.routes.map((r: { routeKey: string }) => r.routeKey)).toEqual(['GET /pets'])
    const deployment = await admin('GET', `/v2/apis/${apiId}/deployments/${third}`)
    expect(deployment.json).toMatchObject({ autoDeployed: true, deploymentStatus: 'DEPLOYED' })
  })

  it('keeps an auto-deploy stage on its last good deployment when a change does not compile', async () => {
    const apiId = await createHttpApi()
    const stage = await admin('POST', `/v2/apis/${apiId}/stages`, {
      stageName: 'live',
      autoDeploy: true,
    })
    const good: string = stage.json.deploymentId
    // A route without integration is a valid edit but cannot be deployed (AWS: failed deployment).
    const route = await admin('POST', `/v2/apis/${apiId}/routes`, { routeKey: 'GET /x' })
    expect(route.status).toBe(201)
    expect((await admin('GET', `/v2/apis/${apiId}/stages/live`)).json.deploymentId).toBe(good)
    const integrationId = await createIntegration(apiId)
    const routeId: string = route.json.routeId
    await admin('PATCH', `/v2/apis/${apiId}/routes/${routeId}`, {
      target: `integrations/${integrationId}`,
    })
    expect((await admin('GET', `/v2/apis/${apiId}/stages/live`)).json.deploymentId).not.toBe(good)
  })

  it('does not redeploy stages without autoDeploy', async () => {
    const apiId = await createHttpApi()
    const d = await admin('POST', `/v2/apis/${apiId}/deployments`, {})
    await admin('POST', `/v2/apis/${apiId}/stages`, {
      stageName: 'prod',
      deploymentId: d.json.deploymentId,
    })
    await createIntegration(apiId)
    const stage = await admin('GET', `/v2/apis/${apiId}/stages/prod`)
    expect(stage.json.deploymentId).toBe(d.json.deploymentId)
  })

  it('refuses a stage variable that points an upstream at a private host (SSRF)', async () => {
    const apiId = await createHttpApi()
    const integrationId = await createIntegration(apiId, 'https://${stageVariables.host}/pets')
    await admin('POST', `/v2/apis/${apiId}/routes`, {
      routeKey: 'GET /pets',
      target: `integrations/${integrationId}`,
    })
    const d = await admin('POST', `/v2/apis/${apiId}/deployments`, {})
    expectError(
      await admin('POST', `/v2/apis/${apiId}/stages`, {
        stageName: 'prod',
        deploymentId: d.json.deploymentId,
        stageVariables: { host: '169.254.169.254' },
      }),
      400,
      'BadRequestException',
      /stage prod.*deploymentId/
    )
    expectError(
      await admin('POST', `/v2/apis/${apiId}/stages`, {
        stageName: 'auto',
        autoDeploy: true,
        stageVariables: { host: '10.0.0.1' },
      }),
      400,
      'BadRequestException',
      /stage auto/
    )
    expect((await admin('GET', `/v2/apis/${apiId}/stages`)).json.items).toEqual([])
    const deployments = await admin('GET', `/v2/apis/${apiId}/deployments`)
    expect(deployments.json.items).toHaveLength(1)
    const ok = await admin('POST', `/v2/apis/${apiId}/stages`, {
      stageName: 'prod',
      deploymentId: d.json.deploymentId,
      stageVariables: { host: 'api.example.com' },
    })
    expect(ok.status).toBe(201)
  })
})
