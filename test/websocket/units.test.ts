import { describe, expect, it } from 'vitest'
import type { ApiConfig } from '../../src/config/types'
import { HUB_SHARDS, hubName, newConnectionId, shardOf } from '../../src/websocket/connection-id'
import { checkOrigin, selectSubprotocol } from '../../src/websocket/connect-handler'
import type { WebSocketCall } from '../../src/websocket/event'
import { compileRouteSelection, selectRouteKey } from '../../src/websocket/route-selection'
import { renderTemplate } from '../../src/websocket/template'
import { webSocketLimits } from '../../src/websocket/settings'
import { webSocketIssues } from '../../src/websocket/validate-websocket'

function selector(expression: string) {
  const compiled = compileRouteSelection(expression)
  if (!compiled.ok) throw new Error(compiled.error)
  return compiled.value
}

describe('route selection expressions', () => {
  it('follows a dotted path in both AWS forms', () => {
    expect(selectRouteKey(selector('$request.body.action'), '{"action":"join"}')).toBe('join')
    expect(selectRouteKey(selector('${request.body.msg.type}'), '{"msg":{"type":"x"}}')).toBe('x')
    expect(selectRouteKey(selector('$request.body.n'), '{"n":7}')).toBe('7')
  })

  it('selects nothing for non-JSON, missing values, objects and inherited properties', () => {
    const s = selector('$request.body.action')
    expect(selectRouteKey(s, 'not json')).toBeUndefined()
    expect(selectRouteKey(s, '{"other":1}')).toBeUndefined()
    expect(selectRouteKey(s, '{"action":{"a":1}}')).toBeUndefined()
    expect(selectRouteKey(s, '[1,2]')).toBeUndefined()
    expect(selectRouteKey(selector('$request.body.constructor'), '{}')).toBeUndefined()
  })

  it('refuses expressions that are not body paths', () => {
    for (const bad of [
      '$request.header.x',
      'action',
      '$request.body.',
      '$request.body.a b',
      '${request.body.a',
    ]) {
      expect(compileRouteSelection(bad).ok).toBe(false)
    }
  })
})

describe('connection ids', () => {
  it('are 16 base64url characters whose shard can be read back', () => {
    for (let i = 0; i < 50; i++) {
      const { connectionId, shard } = newConnectionId()
      expect(connectionId).toMatch(/^[A-Za-z0-9_-]{16}$/)
      expect(shardOf(connectionId)).toBe(shard)
      expect(shard).toBeLessThan(HUB_SHARDS)
    }
    expect(hubName('abc', 'dev', 3)).toBe('ws:abc:dev:3')
  })

  it('reads malformed ids as no shard', () => {
    expect(shardOf('short')).toBeUndefined()
    expect(shardOf('////////////////')).toBeUndefined()
    expect(shardOf('_AAAAAAAAAAAAAAA')).toBeUndefined()
  })
})

describe('origin and subprotocol', () => {
  it('admits exact allowed origins and requests without Origin only', () => {
    const allow = ['https://app.example.com']
    expect(() => {
      checkOrigin(allow, 'https://app.example.com')
    }).not.toThrow()
    expect(() => {
      checkOrigin(allow, null)
    }).not.toThrow()
    expect(() => {
      checkOrigin(['https://App.Example.com:443'], 'https://app.example.com')
    }).not.toThrow()
    for (const bad of [
      'https://app.example.com.evil',
      'http://app.example.com',
      'https://app.example.com:8443',
      'https://app.example.com/',
      'null',
      '',
    ]) {
      expect(() => {
        checkOrigin(allow, bad)
      }).toThrow()
    }
  })

  it("prefers the integration's offered choice, else the first offered", () => {
    expect(selectSubprotocol('a, b', 'b')).toBe('b')
    expect(selectSubprotocol('a, b', 'c')).toBe('a')
    expect(selectSubprotocol(null, 'b')).toBeUndefined()
  })
})

describe('WebSocket templates', () => {
  const call = {
    connectionId: 'abcDEF0123456789',
    routeKey: 'join',
    userAgent: 'evil", "admin": true, "x": "',
    requestId: 'r1',
  } as unknown as WebSocketCall

  it('substitutes $context variables and escapes them inside JSON', () => {
    const out = renderTemplate(
      '{"id":"$context.connectionId","ua":"$context.identity.userAgent"}',
      call
    )
    expect(JSON.parse(out)).toEqual({ id: 'abcDEF0123456789', ua: 'evil", "admin": true, "x": "' })
  })

  it('leaves unknown variables as text', () => {
    expect(renderTemplate('$context.nope ${context.routeKey}', call)).toBe('$context.nope join')
  })
})

describe('WebSocket write-time checks', () => {
  const base: ApiConfig = {
    schemaVersion: 1,
    id: 'abcdefghij',
    name: 'ws',
    protocolType: 'WEBSOCKET',
    createdDate: '2026-01-01T00:00:00Z',
    routeSelectionExpression: '$request.body.action',
    routes: [],
    integrations: [],
  }
  const paths = (api: ApiConfig) => webSocketIssues(api).map((i) => i.path)

  it('accepts a plain WebSocket API', () => {
    expect(paths(base)).toEqual([])
  })

  it('names each problem by JSON pointer', () => {
    const api: ApiConfig = {
      ...base,
      routeSelectionExpression: '$request.header.x',
      routes: [
        {
          id: 'r1',
          routeKey: 'x',
          integrationId: 'i2',
          routeResponseSelectionExpression: '$request.body.x',
          routeResponses: [{ id: 'rr', routeResponseKey: 'other' }],
        },
      ],
      integrations: [
        {
          id: 'i1',
          type: 'MOCK',
          requestTemplates: { $default: '{"statusCode": "200"}' },
          integrationResponses: [{ id: 'ir', integrationResponseKey: '/(a+)+$/' }],
        },
        { id: 'i2', type: 'HTTP', integrationUri: 'https://example.com/{id}' },
      ],
      webSocket: {
        allowOrigins: ['*', 'https://ok.example.com', 'null'],
        idleTimeoutSeconds: 100,
        maxConnectionSeconds: 50,
      },
    }
    expect(paths(api)).toEqual([
      '/routeSelectionExpression',
      '/routes/0/routeResponseSelectionExpression',
      '/routes/0/routeResponses/0/routeResponseKey',
      '/integrations/0/integrationResponses/0/integrationResponseKey',
      '/integrations/0/requestTemplates',
      '/integrations/1/integrationUri',
      '/webSocket/allowOrigins/0',
      '/webSocket/allowOrigins/2',
      '/webSocket/idleTimeoutSeconds',
    ])
  })

  it('requires a route selection expression and leaves other API types alone', () => {
    const without: ApiConfig = { ...base }
    delete without.routeSelectionExpression
    expect(paths(without)).toEqual(['/routeSelectionExpression'])
    expect(paths({ ...without, protocolType: 'HTTP' })).toEqual([])
  })
})

describe('limits', () => {
  const api = (webSocket?: ApiConfig['webSocket']): ApiConfig => ({
    schemaVersion: 1,
    id: 'abc123defg',
    name: 'ws',
    protocolType: 'WEBSOCKET',
    createdDate: '2026-11-28T00:00:00Z',
    routes: [],
    integrations: [],
    ...(webSocket === undefined ? {} : { webSocket }),
  })

  it("defaults to AWS's limits, including 500 new connections per second", () => {
    expect(webSocketLimits(api())).toEqual({
      maxMessageBytes: 131072,
      idleTimeoutMs: 600_000,
      maxConnectionMs: 7_200_000,
      newConnectionsPerSecond: 500,
      maxQueuedMessages: 1000,
    })
  })

  it('takes configured values over the defaults', () => {
    const limits = webSocketLimits(api({ newConnectionsPerSecond: 3, maxMessageBytes: 10 }))
    expect(limits.newConnectionsPerSecond).toBe(3)
    expect(limits.maxMessageBytes).toBe(10)
  })
})
