/**
 * The one send path for every frame the gateway sends to a client (route responses, @connections
 * posts, topic broadcasts). Order per connection is the call order: `send` is synchronous and
 * never waits for one connection on behalf of another.
 *
 * Why no real queue here: workerd (1.20261102) does not implement `WebSocket.bufferedAmount`
 * (the property is absent on server sockets) and `send()` never blocks or fails while the peer
 * is slow — it buffers without bound (measured: 25 MiB to a client that read nothing, accepted in
 * 4 ms). The gateway cannot see how much of what it sent a client has read. So the outbox keeps
 * a per-connection *backlog*, and closes the connection with 1013 "Try Again Later" (RFC 6455
 * §7.4.1) when the backlog passes `maxQueuedMessages` or `maxQueuedBytes`:
 * - a client that acknowledges (`{"action":"$portico.ack","count":n}`: "I processed n more
 *   frames") has an exact backlog: frames sent minus frames acknowledged;
 * - any other client has an estimated backlog, assumed to drain at `drainMessagesPerSecond` /
 *   `drainBytesPerSecond` (a leaky bucket): this caps how fast the gateway may push into the
 *   runtime's unbounded buffer, it does not detect a client that reads slower than that.
 * Closing, not dropping with a notice: a notice frame would join the same stalled buffer, and a
 * client with silent gaps is worse off than one told to reconnect and resynchronize.
 * Backlogs live in memory: a hub that hibernates or restarts starts every backlog at zero.
 *
 * Hub wiring: one `Outbox` and one `TopicIndex` (topics.ts) per hub instance; `webSocketMessage`
 * offers every client frame to `receive` first and routes it only when that returns false; the
 * close/error path calls `forget(id)` and `TopicIndex.removeConnection(id)`; the hub's RPC
 * methods (`ManagementHub` in management/hub-client.ts) delegate to `send`, `subscribeOutcome`,
 * `TopicIndex.unsubscribe` and `TopicIndex.publish`.
 */

/** Action of an acknowledgement frame: `$`-prefixed, so no user route key can collide. */
export const ACK_ACTION = '$portico.ack'
/** RFC 6455 §7.4.1: "Try Again Later" (the server is overloaded for this client). */
export const SLOW_CONSUMER_CLOSE_CODE = 1013
export const SLOW_CONSUMER_CLOSE_REASON = 'Try Again Later'

export interface OutboxOptions {
  /** Backlog in frames above which the connection is closed (api.webSocket.maxQueuedMessages). */
  maxQueuedMessages: number
  /** Backlog in bytes above which the connection is closed. */
  maxQueuedBytes: number
  /** Assumed drain rate of a client that does not acknowledge. */
  drainMessagesPerSecond: number
  drainBytesPerSecond: number
  now?: () => number
  /**
   * Closes a connection whose backlog is full. Default: `ws.close(1013, "Try Again Later")`. A
   * hub passes its own close path so `$disconnect` runs and subscriptions go at once — a client
   * that reads nothing never answers the close frame, so no close event would come.
   */
  closeSlowConsumer?: (connectionId: string, ws: WebSocket) => void
}

export const OUTBOX_DEFAULTS = {
  maxQueuedMessages: 1000,
  maxQueuedBytes: 8 * 1024 * 1024,
  drainMessagesPerSecond: 1000,
  drainBytesPerSecond: 2 * 1024 * 1024,
} as const

/** `sent`: handed to the runtime; `overloaded`: backlog full, connection closed 1013; `gone`. */
export type Delivery = 'sent' | 'overloaded' | 'gone'

export type Frame = string | ArrayBuffer | ArrayBufferView

interface Backlog {
  messages: number
  bytes: number
  /** Estimated mode: when the estimate was last drained. */
  drainedAt: number
  /** Ack mode: sizes of the unacknowledged frames, oldest first from `head`. */
  sizes?: number[]
  head: number
}

const encoder = new TextEncoder()
const OPEN = 1
const MAX_ACK_FRAME_CHARS = 64

/** Bytes of a frame's payload (strings as UTF-8). */
export function frameBytes(data: Frame): number {
  return typeof data === 'string' ? encoder.encode(data).byteLength : data.byteLength
}

function closeWithTryAgainLater(_connectionId: string, ws: WebSocket): void {
  try {
    ws.close(SLOW_CONSUMER_CLOSE_CODE, SLOW_CONSUMER_CLOSE_REASON)
  } catch {
    // Already closing: the outcome for the caller is the same.
  }
}

/** The count of an acknowledgement frame, or undefined when `message` is not one. */
export function parseAck(message: string | ArrayBuffer): number | undefined {
  if (typeof message !== 'string' || message.length > MAX_ACK_FRAME_CHARS) return undefined
  if (!message.includes(ACK_ACTION)) return undefined
  let value: unknown
  try {
    value = JSON.parse(message)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const { action, count } = value as { action?: unknown; count?: unknown }
  if (action !== ACK_ACTION || typeof count !== 'number') return undefined
  return Number.isSafeInteger(count) && count >= 0 ? count : undefined
}

export class Outbox {
  readonly #options: Required<OutboxOptions>
  readonly #backlogs = new Map<string, Backlog>()

  constructor(options: Partial<OutboxOptions> = {}) {
    this.#options = {
      ...OUTBOX_DEFAULTS,
      now: Date.now,
      closeSlowConsumer: closeWithTryAgainLater,
      ...options,
    }
  }

  /** The API's `maxQueuedMessages` (a hub serves one API stage; its config may change). */
  setMaxQueuedMessages(maxQueuedMessages: number): void {
    this.#options.maxQueuedMessages = maxQueuedMessages
  }

  /**
   * Sends one frame to `ws` (the socket of `connectionId`). `bytes` may be given when the caller
   * already knows the size (a broadcast measures its payload once).
   */
  send(connectionId: string, ws: WebSocket, data: Frame, bytes = frameBytes(data)): Delivery {
    if (ws.readyState !== OPEN) return this.#gone(connectionId)
    const backlog = this.#drain(connectionId)
    const o = this.#options
    if (backlog.messages + 1 > o.maxQueuedMessages || backlog.bytes + bytes > o.maxQueuedBytes) {
      this.#backlogs.delete(connectionId)
      this.#options.closeSlowConsumer(connectionId, ws)
      return 'overloaded'
    }
    try {
      ws.send(data)
    } catch {
      // workerd throws once the socket has been closed by either side.
      return this.#gone(connectionId)
    }
    backlog.messages += 1
    backlog.bytes += bytes
    backlog.sizes?.push(bytes)
    return 'sent'
  }

  /**
   * Offers a client frame to the outbox. Returns true when it was an acknowledgement (consumed
   * here: it must not be routed); the first one switches the connection to exact backlogs.
   */
  receive(connectionId: string, message: string | ArrayBuffer): boolean {
    const count = parseAck(message)
    if (count === undefined) return false
    const backlog = this.#drain(connectionId)
    if (backlog.sizes === undefined) {
      // Switching modes: what was estimated so far cannot be matched to acknowledgements.
      backlog.sizes = []
      backlog.head = 0
      backlog.messages = 0
      backlog.bytes = 0
    }
    const n = Math.min(count, backlog.messages)
    const sizes = backlog.sizes
    for (let i = 0; i < n; i++) backlog.bytes -= sizes[backlog.head + i] ?? 0
    backlog.head += n
    backlog.messages -= n
    if (backlog.head > 1024 || backlog.messages === 0) {
      backlog.sizes = sizes.slice(backlog.head)
      backlog.head = 0
    }
    return true
  }

  /** Backlog of a connection (messages, bytes, whether it acknowledges). */
  backlog(connectionId: string): { messages: number; bytes: number; acknowledging: boolean } {
    const b = this.#drain(connectionId)
    return { messages: b.messages, bytes: b.bytes, acknowledging: b.sizes !== undefined }
  }

  /** Drops what is known about a connection (on close). */
  forget(connectionId: string): void {
    this.#backlogs.delete(connectionId)
  }

  #gone(connectionId: string): Delivery {
    this.#backlogs.delete(connectionId)
    return 'gone'
  }

  #drain(connectionId: string): Backlog {
    const now = this.#options.now()
    let backlog = this.#backlogs.get(connectionId)
    if (backlog === undefined) {
      backlog = { messages: 0, bytes: 0, drainedAt: now, head: 0 }
      this.#backlogs.set(connectionId, backlog)
      return backlog
    }
    if (backlog.sizes === undefined) {
      const seconds = Math.max(0, now - backlog.drainedAt) / 1000
      const o = this.#options
      backlog.messages = Math.max(0, backlog.messages - seconds * o.drainMessagesPerSecond)
      backlog.bytes = Math.max(0, backlog.bytes - seconds * o.drainBytesPerSecond)
      backlog.drainedAt = now
    }
    return backlog
  }
}
