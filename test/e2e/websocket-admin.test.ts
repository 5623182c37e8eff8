/**
 * WebSocket APIs configured through the official `@aws-sdk/client-apigatewayv2` against
 * `wrangler dev`: the SDK's serializers and deserializers for WEBSOCKET APIs, routes, MOCK
 * integrations with request templates, integration responses, route responses, stages and
 * deployments (AWS paths, status codes and field names). Then the demo chat that `npm start`
 * seeds through the same resources: rooms as topics, end to end with `ws` clients.
 */
import {
  ConflictException,
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateIntegrationResponseCommand,
  CreateRouteCommand,
  CreateRouteResponseCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteRouteResponseCommand,
  GetApiCommand,
  GetIntegrationCommand,
  GetIntegrationResponseCommand,
  GetIntegrationResponsesCommand,
  GetRouteResponsesCommand,
  GetRoutesCommand,
  GetStageCommand,
  NotFoundException,
  UpdateIntegrationResponseCommand,
} from '@aws-sdk/client-apigatewayv2'
import { AwsV4Signer } from 'aws4fetch'
import { afterAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { chatExample, seedChat } from '../../scripts/seed-demo.mjs'
import { apiHost, callHost, gateway, type SimpleResponse } from './harness'
import { httpApiClient } from './support/aws-clients'

const client = httpApiClient()
const created: string[] = []

afterAll(async () => {
  for (const apiId of created) await client.send(new DeleteApiCommand({ ApiId: apiId }))
})

async function createChatApi(): Promise<string> {
  const api = await client.send(
    new CreateApiCommand({
      Name: 'chat',
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
      ApiKeySelectionExpression: '$request.header.x-api-key',
    })
  )
  expect(api.ApiId).toMatch(/^[a-z0-9]{10}$/)
  const apiId = api.ApiId ?? ''
  created.push(apiId)
  return apiId
}

describe('WebSocket admin through @aws-sdk/client-apigatewayv2', () => {
  it('creates a WEBSOCKET API with a ws:// endpoint and its selection expressions', async () => {
    const apiId = await createChatApi()
    const api = await client.send(new GetApiCommand({ ApiId: apiId }))
    expect(api).toMatchObject({
      ApiId: apiId,
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
      ApiKeySelectionExpression: '$request.header.x-api-key',
    })
    expect(api.ApiEndpoint).toMatch(new RegExp(`^ws://${apiId}\\.execute-api\\.localhost(:\\d+)?$`))
  })

  it('configures routes, a MOCK integration, its responses, a route response, stage and deployment', async () => {
    const ApiId = await createChatApi()
    const integration = await client.send(
      new CreateIntegrationCommand({
        ApiId,
        IntegrationType: 'MOCK',
        RequestTemplates: { $default: '{"statusCode": 200}' },
        TemplateSelectionExpression: '\\$default',
      })
    )
    const IntegrationId = integration.IntegrationId ?? ''
    expect(integration).toMatchObject({
      IntegrationType: 'MOCK',
      RequestTemplates: { $default: '{"statusCode": 200}' },
      TemplateSelectionExpression: '\\$default',
    })

    const response = await client.send(
      new CreateIntegrationResponseCommand({
        ApiId,
        IntegrationId,
        IntegrationResponseKey: '$default',
        ResponseTemplates: { $default: '{"you": "$context.connectionId"}' },
      })
    )
    expect(response.IntegrationResponseId).toBeTruthy()
    const IntegrationResponseId = response.IntegrationResponseId ?? ''
    const updated = await client.send(
      new UpdateIntegrationResponseCommand({
        ApiId,
        IntegrationId,
        IntegrationResponseId,
        TemplateSelectionExpression: '\\$default',
      })
    )
    expect(updated).toMatchObject({
      IntegrationResponseKey: '$default',
      ResponseTemplates: { $default: '{"you": "$context.connectionId"}' },
      TemplateSelectionExpression: '\\$default',
    })

    const target = `integrations/${IntegrationId}`
    for (const RouteKey of ['$connect', '$default']) {
      await client.send(new CreateRouteCommand({ ApiId, RouteKey, Target: target }))
    }
    const send = await client.send(
      new CreateRouteCommand({
        ApiId,
        RouteKey: 'sendmessage',
        Target: target,
        RouteResponseSelectionExpression: '$default',
      })
    )
    expect(send.RouteResponseSelectionExpression).toBe('$default')
    const RouteId = send.RouteId ?? ''
    const routeResponse = await client.send(
      new CreateRouteResponseCommand({ ApiId, RouteId, RouteResponseKey: '$default' })
    )
    expect(routeResponse.RouteResponseKey).toBe('$default')

    await client.send(new CreateStageCommand({ ApiId, StageName: 'production' }))
    const deployment = await client.send(
      new CreateDeploymentCommand({ ApiId, StageName: 'production' })
    )
    const stage = await client.send(new GetStageCommand({ ApiId, StageName: 'production' }))
    expect(stage.DeploymentId).toBe(deployment.DeploymentId)

    const routes = await client.send(new GetRoutesCommand({ ApiId }))
    expect(routes.Items?.map((r) => r.RouteKey).sort()).toEqual([
      '$connect',
      '$default',
      'sendmessage',
    ])
    const routeResponses = await client.send(new GetRouteResponsesCommand({ ApiId, RouteId }))
    expect(routeResponses.Items).toEqual([
      { RouteResponseId: routeResponse.RouteResponseId, RouteResponseKey: '$default' },
    ])
    const responses = await client.send(
      new GetIntegrationResponsesCommand({ ApiId, IntegrationId })
    )
    expect(responses.Items?.map((r) => r.IntegrationResponseId)).toEqual([IntegrationResponseId])
    const got = await client.send(new GetIntegrationCommand({ ApiId, IntegrationId }))
    expect(got.RequestTemplates).toEqual({ $default: '{"statusCode": 200}' })
  })

  it('maps duplicates and unknown ids to the SDK error classes', async () => {
    const ApiId = await createChatApi()
    const route = await client.send(new CreateRouteCommand({ ApiId, RouteKey: '$default' }))
    const RouteId = route.RouteId ?? ''
    const first = await client.send(
      new CreateRouteResponseCommand({ ApiId, RouteId, RouteResponseKey: '$default' })
    )
    await expect(
      client.send(new CreateRouteResponseCommand({ ApiId, RouteId, RouteResponseKey: '$default' }))
    ).rejects.toBeInstanceOf(ConflictException)
    await client.send(
      new DeleteRouteResponseCommand({ ApiId, RouteId, RouteResponseId: first.RouteResponseId })
    )
    await expect(
      client.send(
        new GetIntegrationResponseCommand({
          ApiId,
          IntegrationId: 'nosuchintegration',
          IntegrationResponseId: 'x',
        })
      )
    ).rejects.toBeInstanceOf(NotFoundException)
  })
})

/** A `ws` client on a stage that collects every text frame it receives. */
async function connect(apiId: string, stage: string): Promise<{ ws: WebSocket; frames: string[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${String(gateway().port)}/${stage}`, {
    headers: { host: apiHost(apiId) },
  })
  const frames: string[] = []
  ws.on('message', (data: Buffer) => frames.push(data.toString('utf8')))
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      resolve()
    })
    ws.once('error', reject)
  })
  return { ws, frames }
}

/** Waits (bounded: 10 s) until `frames` holds a frame matching `predicate`, and returns it. */
async function frame(frames: string[], predicate: (f: string) => boolean): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const found = frames.find(predicate)
    if (found !== undefined) return found
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`no matching frame; got ${JSON.stringify(frames)}`)
}

/** `POST /{stage}/@topics/{topic}`, SigV4-signed with the harness's key pair (aws4fetch). */
async function broadcast(apiId: string, path: string, body: string): Promise<SimpleResponse> {
  const g = gateway()
  const host = apiHost(apiId)
  const signer = new AwsV4Signer({
    method: 'POST',
    url: `http://${host}${path}`,
    headers: { host },
    body,
    accessKeyId: g.accessKeyId,
    secretAccessKey: g.secretAccessKey,
    service: 'execute-api',
    region: 'us-east-1',
  })
  const signed = await signer.sign()
  return callHost(host, path, {
    method: 'POST',
    headers: Object.fromEntries(signed.headers),
    body,
  })
}

// The chat's own `send` signs with the key pair `npm start` writes to demo/backend/.dev.vars;
// the e2e harness gives the demo backend none, so the room broadcast is made from here.
describe('the demo chat seeded by npm start', () => {
  it('answers help on $default and subscribes joined connections to the room topic', async () => {
    const g = gateway()
    const chat = await seedChat({ port: g.port, adminHost: g.adminHost, adminToken: g.adminToken })
    created.push(chat.apiId)
    expect(chatExample({ ...chat, port: 8787 })).toContain(
      `npx wscat -c ws://${chat.apiId}.execute-api.localhost:8787/dev`
    )
    const a = await connect(chat.apiId, chat.stageName)
    const b = await connect(chat.apiId, chat.stageName)
    try {
      a.ws.send('what can I do?')
      const help = JSON.parse(await frame(a.frames, (f) => f.includes('help')))
      expect(help.connectionId).toMatch(/^[A-Za-z0-9_-]{16}$/)
      for (const c of [a, b]) c.ws.send(JSON.stringify({ action: 'join', room: 'lobby' }))
      await frame(a.frames, (f) => f.includes('"joined":"lobby"'))
      await frame(b.frames, (f) => f.includes('"joined":"lobby"'))
      const res = await broadcast(chat.apiId, '/dev/@topics/lobby', '{"text":"hi"}')
      expect(res.json()).toEqual({ delivered: 2, dropped: 0 })
      for (const c of [a, b]) {
        await frame(c.frames, (f) => f === '{"text":"hi"}')
        expect(c.frames.filter((f) => f === '{"text":"hi"}')).toHaveLength(1)
      }
      b.ws.send(JSON.stringify({ action: 'leave', room: 'lobby' }))
      await frame(b.frames, (f) => f.includes('"left":"lobby"'))
      const after = await broadcast(chat.apiId, '/dev/@topics/lobby', '{"text":"again"}')
      expect(after.json()).toEqual({ delivered: 1, dropped: 0 })
      a.ws.send(JSON.stringify({ action: 'join', room: 'no spaces' }))
      await frame(a.frames, (f) => f.includes('room must be'))
    } finally {
      a.ws.close()
      b.ws.close()
    }
  })
})
