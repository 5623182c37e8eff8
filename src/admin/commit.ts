/**
 * What follows every admin write: an audit row is appended, and for writes to the KV route
 * config this isolate also serves the change at once (`noteLocalConfigChange`). The write has
 * already happened, so an audit failure is logged and never turns the request into an error.
 */
import type { Context } from 'hono'
import { noteLocalConfigChange } from '../config/local-changes'
import type { GatewayEnv } from '../env'
import { appendAudit } from '../storage/audit-log'
import { adminRequest } from './context'

/**
 * Call after a successful write that is not KV route config (API keys, usage plans, their
 * links): appends the audit row only. `action` is the AWS operation, `resource` the admin path.
 */
export async function recordAudit(
  c: Context<GatewayEnv>,
  action: string,
  resource: string
): Promise<void> {
  const info = adminRequest(c)
  try {
    await appendAudit(c.env.DB, {
      at: new Date().toISOString(),
      principal: info.principal ?? 'unknown',
      action,
      resource,
      requestId: info.requestId,
    })
  } catch (error) {
    console.error(
      JSON.stringify({
        level: 'error',
        msg: 'admin audit write failed',
        action,
        resource,
        requestId: info.requestId,
        error: error instanceof Error ? error.message : String(error),
      })
    )
  }
}

/** Call after a successful KV config write: drops this isolate's config cache, then audits. */
export async function recordWrite(
  c: Context<GatewayEnv>,
  action: string,
  resource: string
): Promise<void> {
  noteLocalConfigChange()
  await recordAudit(c, action, resource)
}
