/**
 * Topic subscriptions of one hub object (Portico extension, not in AWS). The index
 * topic → connection ids lives in the hub's SQLite storage, so it survives hibernation and
 * restarts and a publish costs O(subscribers), not a scan of every socket. It is the only record
 * of subscriptions (a socket attachment is capped at 2 KiB, too small for 50 topic names).
 * `publish` is synchronous: two broadcasts never interleave on the same hub, which keeps the
 * order per connection.
 */
import { err, ok, type Result } from '../../result'
import { frameBytes, type Frame, type Outbox } from './outbox'

/** Topic names: 1–128 characters, URL-path safe, starting with a letter or digit. */
export const TOPIC_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:~-]{0,127}$/
/** Topics one connection may hold at once. */
export const MAX_TOPICS_PER_CONNECTION = 50

export type TopicError =
  { kind: 'invalid-topic'; topic: string } | { kind: 'too-many-topics'; limit: number }

export interface PublishResult {
  /** Subscribers the message was handed to. */
  delivered: number
  /** Subscribers that did not get it: closed, or closed now for a full backlog (1013). */
  dropped: number
}

export function isValidTopic(topic: string): boolean {
  return TOPIC_PATTERN.test(topic)
}

/** The first invalid topic of `topics`, if any. */
export function invalidTopic(topics: readonly string[]): string | undefined {
  return topics.find((t) => !isValidTopic(t))
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS topic_subscriptions (
  topic TEXT NOT NULL,
  connection_id TEXT NOT NULL,
  PRIMARY KEY (topic, connection_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS topic_subscriptions_by_connection
  ON topic_subscriptions (connection_id, topic);`

export class TopicIndex {
  readonly #sql: SqlStorage

  constructor(sql: SqlStorage) {
    this.#sql = sql
    this.#sql.exec(SCHEMA)
  }

  /**
   * Subscribes a connection to `topics` (all or nothing). Already-held topics count once; the
   * result is every topic the connection now holds.
   */
  subscribe(connectionId: string, topics: readonly string[]): Result<string[], TopicError> {
    const bad = invalidTopic(topics)
    if (bad !== undefined) return err({ kind: 'invalid-topic', topic: bad })
    const held = new Set(this.topicsOf(connectionId))
    for (const t of topics) held.add(t)
    if (held.size > MAX_TOPICS_PER_CONNECTION) {
      return err({ kind: 'too-many-topics', limit: MAX_TOPICS_PER_CONNECTION })
    }
    for (const topic of new Set(topics)) {
      this.#sql.exec(
        'INSERT OR IGNORE INTO topic_subscriptions (topic, connection_id) VALUES (?, ?)',
        topic,
        connectionId
      )
    }
    return ok([...held].sort())
  }

  /** Removes the given subscriptions; returns the topics the connection still holds. */
  unsubscribe(connectionId: string, topics: readonly string[]): string[] {
    for (const topic of topics) {
      this.#sql.exec(
        'DELETE FROM topic_subscriptions WHERE topic = ? AND connection_id = ?',
        topic,
        connectionId
      )
    }
    return this.topicsOf(connectionId)
  }

  /** Every subscription of a closed connection goes (call from the close path). */
  removeConnection(connectionId: string): void {
    this.#sql.exec('DELETE FROM topic_subscriptions WHERE connection_id = ?', connectionId)
  }

  topicsOf(connectionId: string): string[] {
    return this.#sql
      .exec<{ topic: string }>(
        'SELECT topic FROM topic_subscriptions WHERE connection_id = ? ORDER BY topic',
        connectionId
      )
      .toArray()
      .map((r) => r.topic)
  }

  subscribers(topic: string): string[] {
    return this.#sql
      .exec<{ connection_id: string }>(
        'SELECT connection_id FROM topic_subscriptions WHERE topic = ? ORDER BY connection_id',
        topic
      )
      .toArray()
      .map((r) => r.connection_id)
  }

  /**
   * Sends `data` to every local subscriber of `topic` through the outbox. A subscription whose
   * socket no longer exists (closed while the close event was lost, e.g. across a restart) is
   * removed and not counted.
   */
  publish(
    topic: string,
    data: Frame,
    outbox: Outbox,
    socketOf: (connectionId: string) => WebSocket | undefined
  ): PublishResult {
    const result: PublishResult = { delivered: 0, dropped: 0 }
    const bytes = frameBytes(data)
    for (const connectionId of this.subscribers(topic)) {
      const ws = socketOf(connectionId)
      if (ws === undefined) {
        this.removeConnection(connectionId)
        continue
      }
      if (outbox.send(connectionId, ws, data, bytes) === 'sent') {
        result.delivered += 1
        continue
      }
      // Closed, or closed just now for a full backlog: it will never receive again.
      result.dropped += 1
      this.removeConnection(connectionId)
    }
    return result
  }
}

/** What the hub answers to a management subscribe call. */
export type SubscribeOutcome =
  { ok: true; topics: string[] } | { ok: false; error: 'gone' | TopicError['kind'] }

/** The hub's `subscribe` RPC body: `connected` says whether the connection's socket is here. */
export function subscribeOutcome(
  index: TopicIndex,
  connected: boolean,
  connectionId: string,
  topics: readonly string[]
): SubscribeOutcome {
  if (!connected) return { ok: false, error: 'gone' }
  const result = index.subscribe(connectionId, topics)
  return result.ok ? { ok: true, topics: result.value } : { ok: false, error: result.error.kind }
}
