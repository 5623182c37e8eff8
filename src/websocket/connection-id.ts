/**
 * Connection ids say where their connection lives: base64url of (1 byte hub shard + 11 random
 * bytes) = 16 characters, the length of AWS's ids (`L0SM9cOFvHcCIhw=`). Any worker can reach a
 * connection from its id alone: hub object `ws:{apiId}:{stage}:{shard}`.
 */

/** Hub objects per (API, stage). A new connection picks one at random. */
export const HUB_SHARDS = 8

const ID_BYTES = 12
const ID_PATTERN = /^[A-Za-z0-9_-]{16}$/

function toBase64Url(bytes: Uint8Array): string {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

/** A fresh connection id and the shard it encodes. */
export function newConnectionId(): { connectionId: string; shard: number } {
  const bytes = crypto.getRandomValues(new Uint8Array(ID_BYTES))
  const shard = (bytes[0] ?? 0) % HUB_SHARDS
  bytes[0] = shard
  return { connectionId: toBase64Url(bytes), shard }
}

/** The shard encoded in `connectionId`; undefined when it is not a Portico connection id. */
export function shardOf(connectionId: string): number | undefined {
  if (!ID_PATTERN.test(connectionId)) return undefined
  const first = atob(connectionId.slice(0, 4).replaceAll('-', '+').replaceAll('_', '/'))
  const shard = first.charCodeAt(0)
  return shard < HUB_SHARDS ? shard : undefined
}

/** Name of the hub object holding the connections of (API, stage, shard). */
export function hubName(apiId: string, stage: string, shard: number): string {
  return `ws:${apiId}:${stage}:${String(shard)}`
}
