/**
 * The @connections API through the official `@aws-sdk/client-apigatewaymanagementapi` against
 * `wrangler dev`, with real `ws` clients: PostToConnection, GetConnection, DeleteConnection and
 * GoneException after disconnect; Portico's topic broadcast over real sockets. The SDK's endpoint
 * is `http://127.0.0.1:{port}/{stage}`; a build-step middleware sets `Host` to the API's
 * execute-api host before SigV4 signs (signing name `execute-api`).
 */
import {
  DeleteConnectionCommand,
  ForbiddenException,
  GetConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi'
import {
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
} from '@aws-sdk/client-apigatewayv2'
import { AwsV4Signer } from 'aws4fetch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { apiHost, callHost, gateway, type SimpleResponse } from './harness'
import { httpApiClient, managementClient as stageClient } from './support/aws-clients'

/** The SDK client for this file's API, stage `dev`. */
function managementClient(secretAccessKey?: string) {
  return stageClient(apiId, 'dev', secretAccessKey)
}

const admin = httpApiClient()
let apiId = ''
const sockets: WebSocket[] = []

interface Client {
  ws: WebSocket
  connectionId: string
  received: string[]
  closed: Promise<number>
  waitFor(n: number): Promise<void>
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** A real client; its id comes from the error frame a message without a route gets (AWS). */
async function connect(): Promise<Client> {
  const g = gateway()
  const ws = new WebSocket(`ws://127.0.0.1:${String(g.port)}/dev`, {
    headers: { host: apiHost(apiId), 'user-agent': 'portico-e2e/1.0' },
  })
  sockets.push(ws)
  const frames: string[] = []
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    frames.push(isBinary ? '<binary>' : data.toString('utf8'))
  })
  const closed = new Promise<number>((resolve) => {
    ws.on('close', (code: number) => {
      resolve(code)
    })
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      resolve()
    })
    ws.once('error', reject)
  })
  ws.send('who am i')
  await until(() => frames.length > 0, 'the error frame')
  const first = JSON.parse(frames.shift() ?? '{}') as { connectionId?: string }
  return {
    ws,
    connectionId: first.connectionId ?? '',
    received: frames,
    closed,
    waitFor: (n) => until(() => frames.length >= n, `${String(n)} frames`),
  }
}

/** A management call the SDK has no command for (Portico's topics), signed with aws4fetch. */
async function portico(method: string, path: string, body: string): Promise<SimpleResponse> {
  const g = gateway()
  const host = apiHost(apiId)
  const signer = new AwsV4Signer({
    method,
    url: `http://${host}${path}`,
    headers: { host },
    body,
    accessKeyId: g.accessKeyId,
    secretAccessKey: g.secretAccessKey,
    service: 'execute-api',
    region: 'us-west-2',
  })
  const signed = await signer.sign()
  return callHost(host, path, { method, headers: Object.fromEntries(signed.headers), body })
}

beforeAll(async () => {
  const api = await admin.send(
    new CreateApiCommand({
      Name: 'management-e2e',
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    })
  )
  apiId = api.ApiId ?? ''
  const integration = await admin.send(
    new CreateIntegrationCommand({
      ApiId: apiId,
      IntegrationType: 'MOCK',
      RequestTemplates: { $default: '{"statusCode": 200}' },
      TemplateSelectionExpression: '\\$default',
    })
  )
  await admin.send(
    new CreateRouteCommand({
      ApiId: apiId,
      RouteKey: 'noop',
      Target: `integrations/${integration.IntegrationId ?? ''}`,
    })
  )
  await admin.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev' }))
  await admin.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'dev' }))
})

afterAll(async () => {
  for (const ws of sockets) ws.terminate()
  if (apiId !== '') await admin.send(new DeleteApiCommand({ ApiId: apiId }))
})

describe('@connections through @aws-sdk/client-apigatewaymanagementapi', () => {
  it('PostToConnection delivers the data to the ws client', async () => {
    const c = await connect()
    const client = managementClient()
    await client.send(
      new PostToConnectionCommand({ ConnectionId: c.connectionId, Data: '{"n":1}' })
    )
    await client.send(
      new PostToConnectionCommand({
        ConnectionId: c.connectionId,
        Data: new TextEncoder().encode('second'),
      })
    )
    await c.waitFor(2)
    expect(c.received).toEqual(['{"n":1}', 'second'])
  })

  it('GetConnection answers connectedAt, identity and lastActiveAt', async () => {
    const before = Date.now()
    const c = await connect()
    const info = await managementClient().send(
      new GetConnectionCommand({ ConnectionId: c.connectionId })
    )
    expect(info.ConnectedAt).toBeInstanceOf(Date)
    expect(info.ConnectedAt?.getTime()).toBeGreaterThanOrEqual(before - 1000)
    expect(info.LastActiveAt).toBeInstanceOf(Date)
    expect(info.Identity?.UserAgent).toBe('portico-e2e/1.0')
    expect(info.Identity?.SourceIp).toMatch(/\S/)
  })

  it('DeleteConnection closes the ws client; then every call is GoneException', async () => {
    const c = await connect()
    const client = managementClient()
    await client.send(new DeleteConnectionCommand({ ConnectionId: c.connectionId }))
    await c.closed
    await expect(
      client.send(new GetConnectionCommand({ ConnectionId: c.connectionId }))
    ).rejects.toBeInstanceOf(GoneException)
  })

  it('answers GoneException after the client disconnects', async () => {
    const c = await connect()
    c.ws.close(1000, 'bye')
    const client = managementClient()
    let error: unknown
    for (let i = 0; i < 100; i++) {
      try {
        await client.send(new PostToConnectionCommand({ ConnectionId: c.connectionId, Data: 'x' }))
      } catch (e) {
        error = e
        break
      }
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(error).toBeInstanceOf(GoneException)
    expect((error as GoneException).$metadata.httpStatusCode).toBe(410)
    await expect(
      client.send(new DeleteConnectionCommand({ ConnectionId: c.connectionId }))
    ).rejects.toBeInstanceOf(GoneException)
  })

  it('refuses a client with the wrong secret with ForbiddenException', async () => {
    const c = await connect()
    await expect(
      managementClient('not-the-secret').send(
        new PostToConnectionCommand({ ConnectionId: c.connectionId, Data: 'nope' })
      )
    ).rejects.toBeInstanceOf(ForbiddenException)
    expect(c.received).toEqual([])
  })
})

describe('topics over real sockets', () => {
  it('a broadcast reaches every subscriber exactly once and in order', async () => {
    const clients: Client[] = []
    for (let i = 0; i < 6; i++) clients.push(await connect())
    for (const c of clients) {
      const res = await portico(
        'POST',
        `/dev/@connections/${c.connectionId}/topics`,
        '{"topics":["e2e"]}'
      )
      expect(res.status).toBe(200)
    }
    const messages = Array.from({ length: 15 }, (_, i) => `b${String(i)}`)
    for (const m of messages) {
      const res = await portico('POST', '/dev/@topics/e2e', m)
      expect(res.json()).toEqual({ delivered: 6, dropped: 0 })
    }
    for (const c of clients) {
      await c.waitFor(messages.length)
      expect(c.received).toEqual(messages)
    }
  })

  it('keeps subscriptions across an idle period long enough for the hub to hibernate', async () => {
    const clients = [await connect(), await connect()]
    for (const c of clients) {
      const path = `/dev/@connections/${c.connectionId}/topics`
      expect((await portico('POST', path, '{"topics":["idle"]}')).status).toBe(200)
    }
    // workerd hibernates an object whose sockets are idle for ~10 s; subscriptions live in the
    // hub's SQLite index and the sockets' attachments, not in memory.
    await new Promise((r) => setTimeout(r, 12_000))
    const res = await portico('POST', '/dev/@topics/idle', 'after-idle')
    expect(res.json()).toEqual({ delivered: 2, dropped: 0 })
    for (const c of clients) {
      await c.waitFor(1)
      expect(c.received).toEqual(['after-idle'])
    }
  }, 30_000)

  it('closes a subscriber that stopped reading with 1013 without delaying the others', async () => {
    const ack = (n: number) => JSON.stringify({ action: '$portico.ack', count: n })
    const slow = await connect()
    const fast: Client[] = []
    for (let i = 0; i < 3; i++) fast.push(await connect())
    // All opt in to acknowledgements; fast clients acknowledge every frame they read.
    for (const c of [slow, ...fast]) c.ws.send(ack(0))
    for (const c of fast) {
      c.ws.on('message', () => {
        c.ws.send(ack(1))
      })
    }
    for (const c of [slow, ...fast]) {
      const res = await portico(
        'POST',
        `/dev/@connections/${c.connectionId}/topics`,
        '{"topics":["big"]}'
      )
      expect(res.status).toBe(200)
    }
    // The slow client stops reading: its socket buffers fill, it never acknowledges again.
    const raw = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket
    raw.pause()
    // 120 KiB frames against the default 8 MiB backlog: the 69th unacknowledged one overflows.
    const frame = (i: number) => `${String(i).padStart(4, '0')}${'x'.repeat(120 * 1024 - 4)}`
    const results: unknown[] = []
    for (let i = 0; i < 80; i++) {
      const res = await portico('POST', '/dev/@topics/big', frame(i))
      results.push(res.json())
      for (const c of fast) await c.waitFor(i + 1)
    }
    expect(results.slice(0, 68)).toEqual(Array(68).fill({ delivered: 4, dropped: 0 }))
    expect(results[68]).toEqual({ delivered: 3, dropped: 1 })
    expect(results.slice(69)).toEqual(Array(11).fill({ delivered: 3, dropped: 0 }))
    for (const c of fast) {
      expect(c.received.map((m) => m.slice(0, 4))).toEqual(
        Array.from({ length: 80 }, (_, i) => String(i).padStart(4, '0'))
      )
    }
    raw.resume()
    expect(await slow.closed).toBe(1013)
    expect(slow.received.map((m) => m.slice(0, 4))).toEqual(
      Array.from({ length: 68 }, (_, i) => String(i).padStart(4, '0'))
    )
  }, 120_000)
})
