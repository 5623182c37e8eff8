/** Writes config documents straight into KV, as a user with `wrangler kv key put` would. */
import { env, exports } from 'cloudflare:workers'
import type {
  ApiConfig,
  DeploymentConfig,
  IntegrationConfig,
  RouteConfig,
  StageConfig,
} from '../../src/config/types'
import { KV_KEYS } from '../../src/storage/config-store'

let counter = 0

/** A fresh valid api id (`[a-z0-9]{10}`) per call. */
export function testApiId(): string {
  counter++
  const rand = Math.random().toString(36).slice(2, 8).padEnd(6, '0')
  return `t${rand}${String(counter).padStart(3, '0')}`.slice(0, 10)
}

export interface SeedOptions {
  protocolType?: ApiConfig['protocolType']
  routes: RouteConfig[]
  integrations: IntegrationConfig[]
  stageName?: string
  variables?: Record<string, string>
  apiExtras?: Partial<ApiConfig>
  stageExtras?: Partial<StageConfig>
}

export interface Seeded {
  apiId: string
  deploymentId: string
  host: string
  api: ApiConfig
}

export function makeApi(apiId: string, options: SeedOptions): ApiConfig {
  return {
    schemaVersion: 1,
    id: apiId,
    name: `test-${apiId}`,
    protocolType: options.protocolType ?? 'REST',
    createdDate: new Date().toISOString(),
    allowLoopbackUpstreams: true,
    routes: options.routes,
    integrations: options.integrations,
    ...options.apiExtras,
  }
}

export async function writeDeployment(api: ApiConfig, deploymentId: string): Promise<void> {
  const deployment: DeploymentConfig = {
    schemaVersion: 1,
    id: deploymentId,
    apiId: api.id,
    createdDate: new Date().toISOString(),
    api,
  }
  await env.ROUTES.put(KV_KEYS.deployment(api.id, deploymentId), JSON.stringify(deployment))
}

export async function writeStage(
  stage: Omit<StageConfig, 'schemaVersion' | 'createdDate' | 'lastUpdatedDate'>
): Promise<void> {
  const now = new Date().toISOString()
  const doc: StageConfig = { schemaVersion: 1, createdDate: now, lastUpdatedDate: now, ...stage }
  await env.ROUTES.put(KV_KEYS.stage(stage.apiId, stage.stageName), JSON.stringify(doc))
}

export async function seedApi(options: SeedOptions): Promise<Seeded> {
  const apiId = testApiId()
  const api = makeApi(apiId, options)
  const deploymentId = 'dep0000001'
  await env.ROUTES.put(KV_KEYS.api(apiId), JSON.stringify(api))
  await writeDeployment(api, deploymentId)
  await writeStage({
    apiId,
    stageName: options.stageName ?? 'dev',
    deploymentId,
    ...(options.variables ? { variables: options.variables } : {}),
    ...options.stageExtras,
  })
  return { apiId, deploymentId, host: `${apiId}.execute-api.localhost`, api }
}

export function upstream(path = ''): string {
  return `http://127.0.0.1:${String(env.UPSTREAM_PORT)}${path}`
}

/** A request to the data plane of `host`. */
export function dataPlane(host: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  headers.set('host', host)
  return exports.default.fetch(`http://${host}${path}`, { ...init, headers })
}
