import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { KV_KEYS } from '../../src/storage/config-store'
import { connect, handshake, seedWebSocketApi } from './ws-client'

describe('WebSocket route selection', () => {
  it('routes a message by $request.body.action and answers with the route response', async () => {
    const { host } = await seedWebSocketApi()
    const socket = await connect(host)
    socket.send(JSON.stringify({ action: 'sendMessage', text: 'hi' }))
    const answer = JSON.parse(await socket.next()) as { route: string; connection: string }
    expect(answer.route).toBe('sendMessage')
    expect(answer.connection).toMatch(/^[A-Za-z0-9_-]{16}$/)
    socket.ws.close(1000)
  })

  it('sends unknown keys, non-JSON and binary messages to $default', async () => {
    const { host } = await seedWebSocketApi()
    const socket = await connect(host)
    socket.send(JSON.stringify({ action: 'nothingLikeThis' }))
    socket.send('not json at all')
    socket.send(new TextEncoder().encode('{"action":"sendMessage"}').buffer as ArrayBuffer)
    socket.send(JSON.stringify({ action: '$connect' }))
    for (let i = 0; i < 4; i++) {
      expect(JSON.parse(await socket.next())).toMatchObject({ route: '$default' })
    }
    socket.ws.close(1000)
  })

  it('answers AWS error frame Forbidden when no route matches and there is no $default', async () => {
    const { host } = await seedWebSocketApi({
      routes: [
        {
          id: 'rsend',
          routeKey: 'sendMessage',
          integrationId: 'isend',
          routeResponseSelectionExpression: '$default',
        },
      ],
    })
    const socket = await connect(host)
    socket.send('{"action":"other"}')
    const frame = JSON.parse(await socket.next()) as Record<string, string>
    expect(frame.message).toBe('Forbidden')
    expect(frame.connectionId).toMatch(/^[A-Za-z0-9_-]{16}$/)
    expect(frame.requestId).toBeTruthy()
    socket.ws.close(1000)
  })

  it('serves handshakes on a custom domain through its base-path mapping', async () => {
    const { apiId } = await seedWebSocketApi()
    const domainName = `chat-${apiId}.localhost`
    await env.ROUTES.put(
      KV_KEYS.domain(domainName),
      JSON.stringify({
        schemaVersion: 1,
        domainName,
        createdDate: new Date().toISOString(),
        mappings: [{ apiMappingId: 'm1', apiId, stage: 'dev', apiMappingKey: 'chat' }],
      })
    )
    const socket = await connect(domainName, '/chat')
    socket.send('{"action":"sendMessage"}')
    expect(JSON.parse(await socket.next())).toMatchObject({ route: 'sendMessage' })
    socket.ws.close(1000)
  })

  it('refuses requests that are not handshakes to the stage root', async () => {
    const { host } = await seedWebSocketApi()
    const plain = await exportsFetch(host, '/dev')
    expect(plain.status).toBe(426)
    const below = await handshake(host, '/dev/chat')
    expect(below.status).toBe(403)
  })
})

async function exportsFetch(host: string, path: string): Promise<Response> {
  const { exports } = await import('cloudflare:workers')
  return exports.default.fetch(`http://${host}${path}`, { headers: { host } })
}
