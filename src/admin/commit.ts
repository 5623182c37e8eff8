/**
 * What follows every admin config write: this isolate serves the change at once
 * (`noteLocalConfigChange`) and an audit row is appended. The config write has already happened,
 * so an audit failure is logged and never turns the request into an error.
 */
import type { Context } from 'hono'
import { noteLocalConfigChange } from '../config/local-changes'
import type { GatewayEnv } from '../env'
import { appendAudit } from '../storage/audit-log'
import { adminRequest } from './context'

/** Call after a successful KV write: `action` is the AWS operation, `resource` the admin path. */
export async function recordWrite(
  c: Context<GatewayEnv>,
  action: string,
  resource: string
): Promise<void> {
  noteLocalConfigChange()
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
