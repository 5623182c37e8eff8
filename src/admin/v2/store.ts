/**
 * Loading and committing the v2 resources. Every write goes: validate the whole resulting document
 * (`config/check.ts`) → write KV → auto-deploy stages that ask for it → `noteLocalConfigChange()`
 * → audit row. Nothing is written when validation fails.
 */
import type { Context } from 'hono'
import { checkApiConfig, checkDomainNameConfig, checkStageConfig } from '../../config/check'
import { noteLocalConfigChange } from '../../config/local-changes'
import type {
  ApiConfig,
  DeploymentConfig,
  DomainNameConfig,
  StageConfig,
} from '../../config/types'
import type { GatewayEnv } from '../../env'
import { configStore } from '../../storage/config-store'
import { v2Queries } from '../../storage/config-queries-v2'
import { audit } from './audit'
import { newResourceId } from '../../config/ids'
import { invalidConfig, notFound } from '../errors'

export type V2Context = Context<GatewayEnv>

/** AWS's description of the deployments it makes for `autoDeploy` stages. */
export const AUTO_DEPLOY_DESCRIPTION =
  'Automatic deployment triggered by changes to the Api configuration'

/** ISO 8601 without milliseconds, as AWS reports dates. */
export function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** A stored document that fails its check: the admin plane reports it, never serves it on. */
function storedInvalid(key: string): never {
  throw new Error(`stored config document ${key} fails validation`)
}

export async function loadApi(c: V2Context, apiId: string): Promise<ApiConfig> {
  const doc = await v2Queries.api(c.env.ROUTES, apiId)
  if (doc === null) return notFound(`Invalid API identifier specified ${apiId}`)
  const checked = checkApiConfig(doc)
  return checked.ok ? checked.value : storedInvalid(`api/${apiId}`)
}

export async function findStage(
  c: V2Context,
  apiId: string,
  stageName: string
): Promise<StageConfig | undefined> {
  const doc = await v2Queries.stage(c.env.ROUTES, apiId, stageName)
  if (doc === null) return undefined
  const checked = checkStageConfig(doc)
  return checked.ok ? checked.value : storedInvalid(`stage/${apiId}/${stageName}`)
}

export async function loadStage(c: V2Context, apiId: string, name: string): Promise<StageConfig> {
  const stage = await findStage(c, apiId, name)
  return stage ?? notFound(`Invalid stage identifier specified ${name}`)
}

export async function listStages(c: V2Context, apiId: string): Promise<StageConfig[]> {
  const names = await v2Queries.stageNames(c.env.ROUTES, apiId)
  const stages = await Promise.all(names.map((n) => findStage(c, apiId, n)))
  return stages.filter((s): s is StageConfig => s !== undefined)
}

export async function findDomain(
  c: V2Context,
  domainName: string
): Promise<DomainNameConfig | undefined> {
  const doc = await v2Queries.domain(c.env.ROUTES, domainName)
  if (doc === null) return undefined
  const checked = checkDomainNameConfig(doc)
  return checked.ok ? checked.value : storedInvalid(`domain/${domainName}`)
}

export async function listDomains(c: V2Context): Promise<DomainNameConfig[]> {
  const names = await v2Queries.domainNames(c.env.ROUTES)
  const domains = await Promise.all(names.map((n) => findDomain(c, n)))
  return domains.filter((d): d is DomainNameConfig => d !== undefined)
}

/** Validates and writes a stage (no audit: callers audit the operation once). */
export async function putStage(c: V2Context, stage: StageConfig): Promise<StageConfig> {
  const checked = checkStageConfig(stage)
  if (!checked.ok) throw invalidConfig('stage', checked.error)
  await configStore.putStage(c.env.ROUTES, checked.value)
  return checked.value
}

/** Writes an immutable snapshot of `api`. */
export async function writeDeployment(
  c: V2Context,
  api: ApiConfig,
  description?: string
): Promise<DeploymentConfig> {
  const deployment: DeploymentConfig = {
    schemaVersion: 1,
    id: newResourceId(),
    apiId: api.id,
    createdDate: nowIso(),
    ...(description === undefined ? {} : { description }),
    api,
  }
  await configStore.putDeployment(c.env.ROUTES, deployment)
  return deployment
}

/** Points every `autoDeploy` stage of the API at a fresh snapshot (AWS: one per change). */
export async function autoDeploy(c: V2Context, api: ApiConfig): Promise<void> {
  const stages = (await listStages(c, api.id)).filter((s) => s.autoDeploy === true)
  if (stages.length === 0) return
  const deployment = await writeDeployment(c, api, AUTO_DEPLOY_DESCRIPTION)
  const now = nowIso()
  for (const stage of stages) {
    await putStage(c, { ...stage, deploymentId: deployment.id, lastUpdatedDate: now })
  }
}

/** Validates the whole API, writes it, redeploys auto-deploy stages, notes and audits. */
export async function commitApi(
  c: V2Context,
  api: ApiConfig,
  action: string,
  resource: string
): Promise<ApiConfig> {
  const checked = checkApiConfig(api)
  if (!checked.ok) throw invalidConfig('API configuration', checked.error)
  await configStore.putApi(c.env.ROUTES, checked.value)
  await autoDeploy(c, checked.value)
  noteLocalConfigChange()
  await audit(c, action, resource)
  return checked.value
}

/** Marks a non-API write (stage, deployment, domain) as done: local change + audit row. */
export async function committed(c: V2Context, action: string, resource: string): Promise<void> {
  noteLocalConfigChange()
  await audit(c, action, resource)
}
