/**
 * The execute-api ARN a request authorizer is asked about (`methodArn` / `routeArn`) and the IAM
 * wildcard match of a policy's `Resource` against it. Portico has no AWS accounts or regions: the
 * ARN carries `PORTICO_ACCOUNT_ID` and `PORTICO_REGION`, so authorizers written for AWS (which
 * split the ARN on `:` and `/`) keep working.
 */
import { PORTICO_ACCOUNT_ID } from '../../../integrations/context-variables'
import type { RequestContext } from '../../../pipeline/types'

/** The region field of every ARN Portico builds (the same one its OpenAPI export uses). */
export const PORTICO_REGION = 'us-east-1'

/**
 * `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`, with the canonical
 * request path (AWS puts the concrete path there, not the resource template); WebSocket APIs:
 * `…/{stage}/{routeKey}` (`$connect`).
 */
export function executeApiArn(ctx: RequestContext): string {
  const prefix = `arn:aws:execute-api:${PORTICO_REGION}:${PORTICO_ACCOUNT_ID}:${ctx.api.id}`
  if (ctx.protocol === 'WEBSOCKET') return `${prefix}/${ctx.stage.name}/${ctx.routeKey}`
  return `${prefix}/${ctx.stage.name}/${ctx.request.method}${ctx.path}`
}

/** Whether `segment` (literal text and `?`) matches `text` at `at`. */
function segmentAt(segment: string, text: string, at: number): boolean {
  if (at < 0 || at + segment.length > text.length) return false
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]
    if (c !== '?' && c !== text[at + i]) return false
  }
  return true
}

/** Leftmost position ≥ `from` where `segment` matches and ends by `end`; -1 when none. */
function findSegment(segment: string, text: string, from: number, end: number): number {
  if (!segment.includes('?')) {
    const at = text.indexOf(segment, from)
    return at !== -1 && at + segment.length <= end ? at : -1
  }
  for (let at = from; at + segment.length <= end; at++) {
    if (segmentAt(segment, text, at)) return at
  }
  return -1
}

/**
 * IAM wildcard match: `*` is any run of characters (including none), `?` exactly one; the rest
 * is literal and case-sensitive. The pattern is cut at its `*`s: the first piece must match at
 * the start, the last at the end, the ones between leftmost in order (greedy leftmost is exact
 * for `*`-only globs). No backtracking, no regular expression built from authorizer output.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  const pieces = pattern.split('*')
  const first = pieces[0] ?? ''
  if (pieces.length === 1) return first.length === text.length && segmentAt(first, text, 0)
  const last = pieces[pieces.length - 1] ?? ''
  const end = text.length - last.length
  if (end < first.length) return false
  if (!segmentAt(first, text, 0) || !segmentAt(last, text, end)) return false
  let position = first.length
  for (const piece of pieces.slice(1, -1)) {
    const at = findSegment(piece, text, position, end)
    if (at === -1) return false
    position = at + piece.length
  }
  return true
}
