/**
 * Stored config ⇄ AWS apigateway v1 wire shapes that several resource modules share: the
 * `RestApi` object and the lookups that answer AWS's 404s. apigateway v1 sends dates as epoch
 * seconds (the SDK's restJson1 default timestamp format), not ISO strings.
 */
import type { Context } from 'hono'
import type { ApiConfig, DeploymentConfig, StageConfig } from '../config/types'
import type { GatewayEnv } from '../env'
import { loadApi, loadDeployment, loadStage } from '../storage/config-queries'
import { notFound } from './errors'
import { policyOut } from './rest-api-policy'

/** ISO 8601 → epoch seconds (AWS v1 timestamps). */
export function epochSeconds(iso: string): number {
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000)
}

/** Now, ISO 8601 without milliseconds. */
export function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** The REST API or AWS's 404 (an HTTP/WebSocket API is not a REST API, as on AWS). */
export async function requireRestApi(
  c: Context<GatewayEnv>,
  restApiId: string
): Promise<ApiConfig> {
  const api = await loadApi(c.env.ROUTES, restApiId)
  if (api === null || api.protocolType !== 'REST') {
    return notFound(`Invalid API identifier specified ${restApiId}`)
  }
  return api
}

export async function requireStage(
  c: Context<GatewayEnv>,
  restApiId: string,
  stageName: string
): Promise<StageConfig> {
  const stage = await loadStage(c.env.ROUTES, restApiId, stageName)
  if (stage === null) return notFound('Invalid stage identifier specified')
  return stage
}

export async function requireDeployment(
  c: Context<GatewayEnv>,
  restApiId: string,
  deploymentId: string
): Promise<DeploymentConfig> {
  const deployment = await loadDeployment(c.env.ROUTES, restApiId, deploymentId)
  if (deployment === null) return notFound('Invalid Deployment identifier specified')
  return deployment
}

/** AWS `RestApi`. `rootResourceId` is the derived id of `/` (see resources.ts). */
export function restApiOut(
  api: ApiConfig,
  rootResourceId: string,
  warnings?: readonly string[]
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: api.id,
    name: api.name,
    createdDate: epochSeconds(api.createdDate),
    apiKeySource: api.apiKeySource ?? 'HEADER',
    // Portico runs in every Cloudflare location: the closest AWS notion is an edge endpoint.
    endpointConfiguration: { types: ['EDGE'] },
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint ?? false,
    rootResourceId,
  }
  if (api.description !== undefined) out.description = api.description
  if (api.version !== undefined) out.version = api.version
  if (api.binaryMediaTypes !== undefined) out.binaryMediaTypes = api.binaryMediaTypes
  if (api.tags !== undefined) out.tags = api.tags
  const policy = policyOut(api)
  if (policy !== undefined) out.policy = policy
  const w = warnings ?? api.importWarnings
  if (w !== undefined && w.length > 0) out.warnings = w
  return out
}
