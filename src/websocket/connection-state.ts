/**
 * Per-connection state, kept in the socket's attachment (`serializeAttachment`) so it survives
 * hibernation: nothing about a connection lives only in the hub object's memory. The platform
 * caps an attachment at 2,048 bytes, so values are kept short (user agent truncated) and a state
 * that would not fit is refused at `$connect` (`fitsAttachment`). Topic subscriptions are not
 * here: hub/topics.ts keeps them in the hub's SQLite storage.
 */
import type { ConsumeRequest } from '../rate-limit/types'

/** Largest serialized attachment the platform accepts. */
export const MAX_ATTACHMENT_BYTES = 2048
const MAX_USER_AGENT_CHARS = 256

/** The usage-plan bucket each message of a keyed connection counts against. */
export interface MessageBucket {
  readonly objectName: string
  readonly request: ConsumeRequest
  readonly failOpen: boolean
}

export interface ConnectionState {
  connectionId: string
  apiId: string
  stage: string
  /** The host the client connected to (events' `domainName`). */
  domainName: string
  /** epoch ms */
  connectedAt: number
  /** epoch ms of the last message from the client. */
  lastActiveAt: number
  sourceIp: string
  userAgent: string
  apiKeyId?: string
  usagePlanId?: string
  principalId?: string
  /** The `$connect` authorizer's context (claims for JWT), passed on every event. */
  authorizer?: Record<string, unknown>
  /** The connection was admitted by the stage's canary deployment. */
  canary?: boolean
  /** Per-message usage-plan accounting, fixed at `$connect`. */
  bucket?: MessageBucket
  /** Idle timeout and hard deadline, fixed at `$connect` (epoch ms for `expiresAt`). */
  idleTimeoutMs: number
  expiresAt: number
  /** Set once `$disconnect` has been run for this connection (exactly once). */
  disconnected?: boolean
}

export function truncateUserAgent(userAgent: string): string {
  return userAgent.length > MAX_USER_AGENT_CHARS
    ? userAgent.slice(0, MAX_USER_AGENT_CHARS)
    : userAgent
}

/** Whether `state` fits in a socket attachment. */
export function fitsAttachment(state: ConnectionState): boolean {
  return new TextEncoder().encode(JSON.stringify(state)).length <= MAX_ATTACHMENT_BYTES
}

function isState(value: unknown): value is ConnectionState {
  return (
    typeof value === 'object' &&
    value !== null &&
    'connectionId' in value &&
    typeof value.connectionId === 'string'
  )
}

/** The state of `ws`, or undefined for a socket without one. */
export function readState(ws: WebSocket): ConnectionState | undefined {
  const value: unknown = ws.deserializeAttachment()
  return isState(value) ? value : undefined
}

/** Replaces the state of `ws` (survives hibernation). */
export function writeState(ws: WebSocket, state: ConnectionState): void {
  ws.serializeAttachment(state)
}

/** When the connection must be closed: idle deadline or lifetime, whichever comes first. */
export function deadlineOf(state: ConnectionState): number {
  return Math.min(state.lastActiveAt + state.idleTimeoutMs, state.expiresAt)
}
