/**
 * Worker entry. One Hono app: the admin plane answers only on ADMIN_HOSTNAME; every other host
 * is the data plane (`{apiId}.{EXECUTE_API_DOMAIN}` or a custom domain name).
 */
import { Hono } from 'hono'
import { adminApp } from './admin'
import type { GatewayEnv } from './env'
import { handleDataPlane } from './pipeline/data-plane'
import { classifyHost } from './routing/host'

const app = new Hono<GatewayEnv>()

app.all('*', (c) => {
  const host = c.req.header('host') ?? new URL(c.req.url).host
  const target = classifyHost(host, c.env)
  if (target.kind === 'admin') return adminApp.fetch(c.req.raw, c.env, c.executionCtx)
  if (target.kind === 'invalid') {
    return c.json({ message: 'Bad Request' }, 400, { 'x-amzn-ErrorType': 'BadRequestException' })
  }
  const domainName =
    target.kind === 'custom' ? target.hostname : `${target.apiId}.${c.env.EXECUTE_API_DOMAIN}`
  return handleDataPlane(c.req.raw, c.env, c.executionCtx, target, domainName)
})

export { RateLimiter } from './durable-objects/rate-limiter'
export { WebSocketHub } from './durable-objects/websocket-hub'

export default app
