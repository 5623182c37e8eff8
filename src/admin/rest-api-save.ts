/**
 * One write of a REST API document from a v1 sub-resource (authorizers, models, request
 * validators): the full write-time check, the KV write, the local change note and the audit row.
 */
import type { Context } from 'hono'
import { checkApiConfig } from '../config/check'
import type { ApiConfig } from '../config/types'
import type { GatewayEnv } from '../env'
import { configStore } from '../storage/config-store'
import { recordWrite } from './commit'
import { invalidConfig } from './errors'

export async function saveRestApi(
  c: Context<GatewayEnv>,
  api: ApiConfig,
  action: string,
  resource: string
): Promise<ApiConfig> {
  const checked = checkApiConfig(api)
  if (!checked.ok) throw invalidConfig('API definition', checked.error)
  await configStore.putApi(c.env.ROUTES, checked.value)
  await recordWrite(c, action, resource)
  return checked.value
}
