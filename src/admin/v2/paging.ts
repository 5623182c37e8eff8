/**
 * AWS-style paging for list operations: `maxResults` (1–500, as a query string) and an opaque
 * `nextToken`. Items are paged by their sort key, so a token stays valid when items are added.
 */
import { badRequest } from '../errors'

/** One page of a list and the token for the next, when there is one. */
export interface Page<T> {
  items: T[]
  nextToken?: string
}

const MAX_RESULTS = 500

function encodeToken(key: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(key)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

function decodeToken(token: string): string {
  try {
    const bin = atob(token.replace(/-/g, '+').replace(/_/g, '/'))
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(
      Uint8Array.from(bin, (ch) => ch.charCodeAt(0))
    )
  } catch {
    return badRequest("Invalid 'nextToken'")
  }
}

/** Reads `maxResults` / `nextToken` from the query and returns one page of `items`. */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  query: { maxResults?: string | undefined; nextToken?: string | undefined }
): Page<T> {
  let limit = MAX_RESULTS
  if (query.maxResults !== undefined) {
    if (!/^\d{1,3}$/.test(query.maxResults)) return badRequest("'maxResults' must be 1-500")
    limit = Number(query.maxResults)
    if (limit < 1 || limit > MAX_RESULTS) return badRequest("'maxResults' must be 1-500")
  }
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0))
  const after = query.nextToken === undefined ? undefined : decodeToken(query.nextToken)
  const start = after === undefined ? 0 : sorted.findIndex((i) => keyOf(i) > after)
  const rest = start < 0 ? [] : sorted.slice(start)
  const page = rest.slice(0, limit)
  const last = page[page.length - 1]
  if (rest.length > limit && last !== undefined) {
    return { items: page, nextToken: encodeToken(keyOf(last)) }
  }
  return { items: page }
}
