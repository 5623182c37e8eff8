/**
 * How the management API reaches hub objects: one connection's hub from the shard its id
 * encodes, or every shard of (API, stage) for a broadcast. The RPC surface it relies on is
 * `ManagementHub`; the hub class (durable-objects/websocket-hub.ts) implements it.
 */
import type { GatewayBindings } from '../../env'
import { HUB_SHARDS, hubName } from '../connection-id'
import type { PublishResult, SubscribeOutcome } from '../hub/topics'

/** AWS GetConnection's shape (ISO 8601 timestamps). */
export interface ConnectionInfo {
  connectedAt: string
  lastActiveAt: string
  identity: { sourceIp: string; userAgent: string }
}

/** The hub's RPC methods the management API calls. */
export interface ManagementHub {
  postToConnection(connectionId: string, data: string | ArrayBuffer): Promise<PostOutcome>
  getConnection(connectionId: string): Promise<ConnectionInfo | null>
  /** false: no such connection here. */
  deleteConnection(connectionId: string): Promise<boolean>
  subscribe(connectionId: string, topics: string[]): Promise<SubscribeOutcome>
  /** The topics still held, or null when the connection is not here. */
  unsubscribe(connectionId: string, topics: string[]): Promise<string[] | null>
  publish(topic: string, data: string | ArrayBuffer): Promise<PublishResult>
}

/** `overloaded`: the connection's backlog was full and it has been closed with 1013. */
export type PostOutcome = 'ok' | 'gone' | 'overloaded'

export function hubOf(
  env: GatewayBindings,
  apiId: string,
  stage: string,
  shard: number
): ManagementHub {
  const ns = env.WEBSOCKET_HUB
  return ns.get(ns.idFromName(hubName(apiId, stage, shard)))
}

/**
 * Publishes on every shard in parallel and answers once all have sent, so successive
 * broadcasts from one caller keep their order on every connection. Not atomic: when one shard
 * fails the others may have delivered; the caller gets the failure.
 */
export async function broadcast(
  env: GatewayBindings,
  apiId: string,
  stage: string,
  topic: string,
  data: string | ArrayBuffer
): Promise<PublishResult> {
  const shards = Array.from({ length: HUB_SHARDS }, (_, shard) =>
    hubOf(env, apiId, stage, shard).publish(topic, data)
  )
  const results = await Promise.all(shards)
  return results.reduce(
    (sum, r) => ({ delivered: sum.delivered + r.delivered, dropped: sum.dropped + r.dropped }),
    { delivered: 0, dropped: 0 }
  )
}
