/**
 * Stores a miss's response without delaying it (DESIGN §4 step 11): the body is teed, the client
 * gets one branch as it streams, the other is read (up to the cap) and put into the cache inside
 * `ctx.executionCtx.waitUntil`. Nothing on the response path waits for the cache.
 */
import type { RequestContext } from '../../pipeline/types'
import { MAX_CACHED_BODY_BYTES } from './storability'
import { logCacheFailure, readUpTo, trackWrite, type CacheStore } from './store'
import { toStored } from './stored-entry'

export interface WriteInput {
  readonly ctx: RequestContext
  readonly store: CacheStore
  readonly key: Request
  readonly ttlSeconds: number
  readonly upstreamAgeSeconds: number
  readonly now: number
}

async function put(input: WriteInput, response: Response, body: Uint8Array | null): Promise<void> {
  const stored = toStored(response.status, response.statusText, response.headers, body, {
    ttlSeconds: input.ttlSeconds,
    upstreamAgeSeconds: input.upstreamAgeSeconds,
    now: input.now,
    request: input.ctx.request.headers,
  })
  try {
    await input.store.put(input.key, stored)
  } catch (cause) {
    logCacheFailure(input.ctx.requestId, 'put', cause)
  }
}

async function readAndPut(
  input: WriteInput,
  response: Response,
  branch: ReadableStream<unknown>
): Promise<void> {
  let body: Uint8Array | undefined
  try {
    body = await readUpTo(branch, MAX_CACHED_BODY_BYTES)
  } catch (cause) {
    // The upstream body failed mid-way: the client sees that on its branch; nothing is stored.
    logCacheFailure(input.ctx.requestId, 'read', cause)
    return
  }
  if (body === undefined) return
  await put(input, response, body)
}

function background(ctx: RequestContext, work: Promise<void>): void {
  ctx.executionCtx.waitUntil(trackWrite(work))
}

/** Returns the response for the client and schedules the cache write. */
export function writeInBackground(input: WriteInput, response: Response): Response {
  const source = response.body
  if (source === null) {
    background(input.ctx, put(input, response, null))
    return response
  }
  const [client, cache] = source.tee()
  background(input.ctx, readAndPut(input, response, cache))
  return new Response(client, response)
}

/** Removes an entry (a refresh whose new response may not be stored), in the background. */
export function deleteInBackground(ctx: RequestContext, store: CacheStore, key: Request): void {
  const work = store.delete(key).then(
    () => undefined,
    (cause: unknown) => {
      logCacheFailure(ctx.requestId, 'delete', cause)
    }
  )
  background(ctx, work)
}
