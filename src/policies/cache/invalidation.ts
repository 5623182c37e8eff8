/**
 * Client cache invalidation (AWS): a request with `Cache-Control: max-age=0` (or `no-cache`, or
 * `Pragma: no-cache` without `Cache-Control`, RFC 9111 §5.4) asks to bypass and refresh the entry.
 * With `requireAuthorizationForCacheControl` only an authorized caller may: in Portico (no IAM
 * `execute-api:InvalidateCache`), a caller whose usage plan carries the tag
 * `portico:invalidateCache=true`. Others get the route's `unauthorizedCacheControlHeaderStrategy`.
 */
import { GatewayError } from '../../errors/gateway-error'
import type { RequestContext } from '../../pipeline/types'
import { deltaSeconds, parseCacheControl } from './cache-control'
import type { CacheSettings } from './settings'

/** Usage-plan tag that grants cache invalidation to the plan's keys. */
export const INVALIDATE_CACHE_TAG = 'portico:invalidateCache'

/** The warning a served-anyway request carries (RFC 9111 `Warning` 199, as AWS adds one). */
export const IGNORED_WARNING =
  '199 - "Cache-Control header ignored: caller is not authorized to invalidate the cache"'

export type InvalidationOutcome =
  /** No invalidation asked: normal lookup. */
  | 'none'
  /** Bypass the entry and refresh it. */
  | 'refresh'
  /** Asked but not allowed: serve as usual, with the warning header. */
  | 'ignore-with-header'
  /** Asked but not allowed: serve as usual, silently. */
  | 'ignore'

/** Whether the request asks to bypass the cache. */
export function asksInvalidation(headers: Headers): boolean {
  const cc = headers.get('cache-control')
  if (cc === null) return /(^|,)\s*no-cache\s*(,|$)/i.test(headers.get('pragma') ?? '')
  const directives = parseCacheControl(cc)
  return deltaSeconds(directives, 'max-age') === 0 || directives.has('no-cache')
}

/** Whether this caller may invalidate (see module comment). */
export function mayInvalidate(ctx: RequestContext, settings: CacheSettings): boolean {
  if (!settings.requireAuthorizationForCacheControl) return true
  return ctx.identity.usagePlan?.tags?.[INVALIDATE_CACHE_TAG] === 'true'
}

function denied(ctx: RequestContext): GatewayError {
  const who = ctx.identity.principalId ?? 'anonymous'
  const resource =
    `arn:aws:execute-api:portico:000000000000:${ctx.api.id}/${ctx.stage.name}/` +
    `${ctx.request.method}${ctx.resourcePath}`
  return new GatewayError('ACCESS_DENIED', {
    status: 403,
    // AWS's wording for FAIL_WITH_403.
    message: `User: ${who} is not authorized to perform: execute-api:InvalidateCache on resource: ${resource}`,
    reason: 'cache invalidation without authorization',
  })
}

/** What to do with this request's cache directives; throws 403 under FAIL_WITH_403. */
export function invalidationOutcome(
  ctx: RequestContext,
  settings: CacheSettings
): InvalidationOutcome {
  if (!asksInvalidation(ctx.request.headers)) return 'none'
  if (mayInvalidate(ctx, settings)) return 'refresh'
  switch (settings.unauthorizedStrategy) {
    case 'FAIL_WITH_403':
      throw denied(ctx)
    case 'SUCCEED_WITH_RESPONSE_HEADER':
      return 'ignore-with-header'
    case 'SUCCEED_WITHOUT_RESPONSE_HEADER':
      return 'ignore'
  }
}
