/**
 * The management paths below a WebSocket API's stage. AWS: `/@connections/{connectionId}`;
 * Portico extensions: `/@connections/{connectionId}/topics[/{topic}]` and `/@topics/{topic}`.
 * Input is the canonical path (routing/canonical-path.ts), so a segment decodes safely: no
 * `/`, dot segments or control characters can appear after decoding.
 */

export type ManagementTarget =
  | { kind: 'connection'; connectionId: string }
  | { kind: 'connection-topics'; connectionId: string }
  | { kind: 'connection-topic'; connectionId: string; topic: string }
  | { kind: 'topic'; topic: string }
  /** Below `@connections`/`@topics` but no resource: AWS answers these like an unknown path. */
  | { kind: 'unknown' }

const CONNECTIONS = '@connections'
const TOPICS = '@topics'

/** Whether the path (below the stage) belongs to the management API. */
export function isManagementPath(path: string): boolean {
  return (
    path === `/${CONNECTIONS}` ||
    path.startsWith(`/${CONNECTIONS}/`) ||
    path === `/${TOPICS}` ||
    path.startsWith(`/${TOPICS}/`)
  )
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

export function parseManagementPath(path: string): ManagementTarget {
  const raw = path.split('/').slice(1)
  const segments = raw.map(decodeSegment)
  if (segments.some((s) => s === undefined || s === '')) return { kind: 'unknown' }
  const [root, id, sub, topic, ...rest] = segments as string[]
  if (rest.length > 0 || id === undefined) return { kind: 'unknown' }
  if (root === TOPICS) return sub === undefined ? { kind: 'topic', topic: id } : { kind: 'unknown' }
  if (root !== CONNECTIONS) return { kind: 'unknown' }
  if (sub === undefined) return { kind: 'connection', connectionId: id }
  if (sub !== 'topics') return { kind: 'unknown' }
  return topic === undefined
    ? { kind: 'connection-topics', connectionId: id }
    : { kind: 'connection-topic', connectionId: id, topic }
}
