/** Koa-style composition of policy handlers around the integration, done once per route. */
import type { IntegrationHandler, PolicyHandler, RequestContext } from './types'

export function compose(
  handlers: readonly PolicyHandler[],
  integration: IntegrationHandler
): IntegrationHandler {
  // Fold from the inside out so the per-request cost is one closure call per policy.
  let composed: IntegrationHandler = integration
  for (let i = handlers.length - 1; i >= 0; i--) {
    const handler = handlers[i]
    if (handler === undefined) continue
    const next = composed
    composed = (ctx: RequestContext) => handler(ctx, () => next(ctx))
  }
  return composed
}
