/**
 * Effective WebSocket limits of an API: `api.webSocket` over AWS's fixed quotas (128 KiB
 * messages, 10 min idle, 2 h connection lifetime, 500 new connections per second — AWS's is per
 * account and region; here it is per API key, or per client IP without a key). Ranges are checked at write
 * (validate-websocket.ts), so these are plain defaults.
 */
import type { ApiConfig } from '../config/types'

export const WEBSOCKET_DEFAULTS = {
  maxMessageBytes: 128 * 1024,
  idleTimeoutSeconds: 600,
  maxConnectionSeconds: 7200,
  maxQueuedMessages: 1000,
  newConnectionsPerSecond: 500,
} as const

export interface WebSocketLimits {
  readonly maxMessageBytes: number
  readonly idleTimeoutMs: number
  readonly maxConnectionMs: number
  readonly newConnectionsPerSecond: number
  readonly maxQueuedMessages: number
}

export function webSocketLimits(api: ApiConfig): WebSocketLimits {
  const ws = api.webSocket ?? {}
  return {
    maxMessageBytes: ws.maxMessageBytes ?? WEBSOCKET_DEFAULTS.maxMessageBytes,
    idleTimeoutMs: (ws.idleTimeoutSeconds ?? WEBSOCKET_DEFAULTS.idleTimeoutSeconds) * 1000,
    maxConnectionMs: (ws.maxConnectionSeconds ?? WEBSOCKET_DEFAULTS.maxConnectionSeconds) * 1000,
    newConnectionsPerSecond:
      ws.newConnectionsPerSecond ?? WEBSOCKET_DEFAULTS.newConnectionsPerSecond,
    maxQueuedMessages: ws.maxQueuedMessages ?? WEBSOCKET_DEFAULTS.maxQueuedMessages,
  }
}
