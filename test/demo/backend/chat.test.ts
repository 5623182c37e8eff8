import { describe, expect, it } from 'vitest'
import { chatHandler, type ChatEnv, type WebSocketEvent } from '../../../demo/backend/chat'
import { verifySigV4 } from '../../../src/admin/sigv4'

const KEYS = { accessKeyId: 'AKIADEMOCHAT00000001', secretAccessKey: 'demo-chat-secret-0123456789' }

function event(routeKey: string, body: unknown): WebSocketEvent {
  return {
    requestContext: {
      routeKey,
      eventType: 'MESSAGE',
      connectionId: 'AbCdEfGhIjKlMnOp',
      apiId: 'chatapi001',
      stage: 'dev',
      domainName: 'chatapi001.execute-api.localhost',
    },
    body: JSON.stringify(body),
  }
}

/** A GATEWAY binding that records the requests it gets and answers like `@topics`. */
function gateway(answer: Response = Response.json({ delivered: 2, dropped: 0 })) {
  const requests: Request[] = []
  const fetcher = {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push(new Request(input, init))
      return Promise.resolve(answer)
    },
  }
  return { requests, binding: fetcher as unknown as Fetcher }
}

function parse(body: string | undefined): unknown {
  return JSON.parse(body ?? 'null')
}

describe('demo chat handler', () => {
  it('answers join with the subscribe instruction for the room', async () => {
    const result = await chatHandler(event('join', { action: 'join', room: 'lobby' }), {})
    expect(result.headers?.['x-portico-subscribe']).toBe('lobby')
    expect(parse(result.body)).toEqual({ joined: 'lobby', you: 'AbCdEfGhIjKlMnOp' })
  })

  it('answers leave with the unsubscribe instruction', async () => {
    const result = await chatHandler(event('leave', { room: 'lobby' }), {})
    expect(result.headers?.['x-portico-unsubscribe']).toBe('lobby')
  })

  it('refuses a room that is not a topic-safe name, without any instruction', async () => {
    const result = await chatHandler(event('join', { room: 'a room/../x' }), {})
    expect(result.headers?.['x-portico-subscribe']).toBeUndefined()
    expect(parse(result.body)).toMatchObject({ error: expect.stringMatching(/room must be/) })
  })

  it('broadcasts send through @topics with a signature the gateway accepts', async () => {
    const { requests, binding } = gateway()
    const env: ChatEnv = {
      GATEWAY: binding,
      ADMIN_ACCESS_KEY_ID: KEYS.accessKeyId,
      ADMIN_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
    }
    const result = await chatHandler(
      event('send', { room: 'lobby', text: 'hello', name: 'ada' }),
      env
    )
    expect(parse(result.body)).toEqual({ sent: 'lobby', delivered: 2, dropped: 0 })
    expect(requests).toHaveLength(1)
    const request = requests[0]
    if (request === undefined) throw new Error('no request')
    expect(request.method).toBe('POST')
    expect(request.url).toBe('http://chatapi001.execute-api.localhost/dev/@topics/lobby')
    const body = new Uint8Array(await request.arrayBuffer())
    const message = JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>
    expect(message).toMatchObject({ room: 'lobby', from: 'ada', text: 'hello' })
    const signer = await verifySigV4(
      { method: request.method, url: new URL(request.url), headers: request.headers, body },
      KEYS,
      Date.now(),
      'execute-api'
    )
    expect(signer).toBe(KEYS.accessKeyId)
  })

  it('tells the sender when the broadcast fails instead of throwing', async () => {
    const { binding } = gateway(Response.json({ message: 'Forbidden' }, { status: 403 }))
    const env: ChatEnv = {
      GATEWAY: binding,
      ADMIN_ACCESS_KEY_ID: KEYS.accessKeyId,
      ADMIN_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
    }
    const result = await chatHandler(event('send', { room: 'lobby', text: 'hi' }), env)
    expect(parse(result.body)).toEqual({ error: 'broadcast failed: broadcast answered 403' })
    const unsigned = await chatHandler(event('send', { room: 'lobby', text: 'hi' }), {})
    expect(parse(unsigned.body)).toEqual({
      error: 'broadcast failed: the demo backend has no GATEWAY binding or management key pair',
    })
  })
})
