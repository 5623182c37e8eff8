/**
 * Loading and committing the v2 resources. Every write goes: validate the whole resulting document
 * (`config/check.ts`) → write KV → auto-deploy stages that ask for it → `noteLocalConfigChange()`
 * → audit row. Nothing is written when validation fails.
 */
import type { Context } from 'hono'
import {
  checkApiConfig,
  checkDomainNameConfig,
  checkStageConfig,
  checkStageDeployable,
} from '../../config/check'
import type { ApiConfig, DeploymentConfig, DomainNameConfig, StageConfig } from '../../config/types'
import type { GatewayEnv } from '../../env'
import { configStore, KV_KEYS } from '../../storage/config-store'
import { v2Queries } from '../../storage/config-queries-v2'
import { recordWrite } from '../commit'
import { newResourceId } from '../../config/ids'
import { invalidConfig, notFound } from '../errors'

/** The Hono context every v2 handler gets. */
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

/** Any stored API (REST too) or 404 NotFoundException; a stored document failing its check is a 500. */
export async function loadApi(c: V2Context, apiId: string): Promise<ApiConfig> {
  const doc = await v2Queries.api(c.env.ROUTES, apiId)
  if (doc === null) return notFound(`Invalid API identifier specified ${apiId}`)
  const checked = checkApiConfig(doc)
  return checked.ok ? checked.value : storedInvalid(`api/${apiId}`)
}

/** An HTTP or WebSocket API: REST APIs are not visible through apigatewayv2 (as on AWS). */
export async function loadV2Api(c: V2Context, apiId: string): Promise<ApiConfig> {
  const api = await loadApi(c, apiId)
  return api.protocolType === 'REST' ? notFound(`Invalid API identifier specified ${apiId}`) : api
}

/** The stored stage, or undefined. */
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

/** The stored stage or 404 NotFoundException. */
export async function loadStage(c: V2Context, apiId: string, name: string): Promise<StageConfig> {
  const stage = await findStage(c, apiId, name)
  return stage ?? notFound(`Invalid stage identifier specified ${name}`)
}

/** All stages of an API, sorted by name. */
export async function listStages(c: V2Context, apiId: string): Promise<StageConfig[]> {
  const names = await v2Queries.stageNames(c.env.ROUTES, apiId)
  const stages = await Promise.all(names.map((n) => findStage(c, apiId, n)))
  return stages.filter((s): s is StageConfig => s !== undefined)
}

/** The stored domain name (lower-case), or undefined. */
export async function findDomain(
  c: V2Context,
  domainName: string
): Promise<DomainNameConfig | undefined> {
  const doc = await v2Queries.domain(c.env.ROUTES, domainName)
  if (doc === null) return undefined
  const checked = checkDomainNameConfig(doc)
  return checked.ok ? checked.value : storedInvalid(`/v2/domainnames/${domainName}`)
}

/** All custom domain names, sorted. */
export async function listDomains(c: V2Context): Promise<DomainNameConfig[]> {
  const names = await v2Queries.domainNames(c.env.ROUTES)
  const domains = await Promise.all(names.map((n) => findDomain(c, n)))
  return domains.filter((d): d is DomainNameConfig => d !== undefined)
}

/** Schema check plus a compile of the deployment(s) it serves with its variables (SSRF). */
async function checkStage(c: V2Context, stage: StageConfig): Promise<StageConfig> {
  const checked = checkStageConfig(stage)
  if (!checked.ok) throw invalidConfig(`stage ${stage.stageName}`, checked.error)
  const deployable = await checkStageDeployable(c.env.ROUTES, checked.value)
  if (!deployable.ok) throw invalidConfig(`stage ${stage.stageName}`, deployable.error)
  return deployable.value
}

/** Validates and writes a stage (no audit: callers audit the operation once). */
export async function putStage(c: V2Context, stage: StageConfig): Promise<StageConfig> {
  const checked = await checkStage(c, stage)
  await configStore.putStage(c.env.ROUTES, checked)
  return checked
}

/** Validates and writes a domain name document. */
export async function putDomain(c: V2Context, domain: DomainNameConfig): Promise<DomainNameConfig> {
  const checked = checkDomainNameConfig(domain)
  if (!checked.ok) throw invalidConfig('domain name', checked.error)
  await configStore.putDomain(c.env.ROUTES, checked.value)
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

/**
 * Writes a snapshot of `api` and checks `stages` repointed at it; when a stage would not compile
 * (e.g. a stage variable that makes an upstream private), the snapshot is removed again and the
 * whole change is refused. Returns the checked stages, not yet written.
 */
async function stageDeployment(
  c: V2Context,
  api: ApiConfig,
  stages: readonly StageConfig[],
  description?: string
): Promise<{ deployment: DeploymentConfig; stages: StageConfig[] }> {
  const deployment = await writeDeployment(c, api, description)
  const now = nowIso()
  try {
    const checked: StageConfig[] = []
    for (const stage of stages) {
      const next = { ...stage, deploymentId: deployment.id, lastUpdatedDate: now }
      checked.push(await checkStage(c, next))
    }
    return { deployment, stages: checked }
  } catch (error) {
    await configStore.deleteKey(c.env.ROUTES, KV_KEYS.deployment(api.id, deployment.id))
    throw error
  }
}

/** Deploys `api` to one stage: snapshot, check, write the stage. Returns the written stage. */
export async function deployToStage(
  c: V2Context,
  api: ApiConfig,
  stage: StageConfig,
  description?: string
): Promise<{ deployment: DeploymentConfig; stage: StageConfig }> {
  const staged = await stageDeployment(c, api, [stage], description)
  const written = staged.stages[0] ?? stage
  await configStore.putStage(c.env.ROUTES, written)
  return { deployment: staged.deployment, stage: written }
}

/**
 * AWS autoDeploy: a fresh snapshot for the `autoDeploy` stages. A stage the snapshot does not
 * compile for (a route without integration, a stage variable that makes an upstream private)
 * keeps its current deployment, as AWS keeps the last good one and reports the failed
 * deployment; the API change itself stands. Returns the stages to repoint, checked.
 */
async function prepareAutoDeploy(c: V2Context, api: ApiConfig): Promise<StageConfig[]> {
  const auto = (await listStages(c, api.id)).filter((s) => s.autoDeploy === true)
  if (auto.length === 0) return []
  const deployment = await writeDeployment(c, api, AUTO_DEPLOY_DESCRIPTION)
  const now = nowIso()
  const ready: StageConfig[] = []
  for (const stage of auto) {
    try {
      ready.push(
        await checkStage(c, { ...stage, deploymentId: deployment.id, lastUpdatedDate: now })
      )
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      console.warn(
        JSON.stringify({
          level: 'warn',
          msg: 'auto deployment skipped',
          apiId: api.id,
          stage: stage.stageName,
          reason,
        })
      )
    }
  }
  if (ready.length === 0)
    await configStore.deleteKey(c.env.ROUTES, KV_KEYS.deployment(api.id, deployment.id))
  return ready
}

/** Validates the whole API, writes it, redeploys its `autoDeploy` stages, notes and audits. */
export async function commitApi(
  c: V2Context,
  api: ApiConfig,
  action: string,
  resource: string
): Promise<ApiConfig> {
  const checked = checkApiConfig(api)
  if (!checked.ok) throw invalidConfig('API configuration', checked.error)
  const repoint = await prepareAutoDeploy(c, checked.value)
  await configStore.putApi(c.env.ROUTES, checked.value)
  for (const stage of repoint) await configStore.putStage(c.env.ROUTES, stage)
  await recordWrite(c, action, resource)
  return checked.value
}

/** Marks a non-API write (stage, deployment, domain) as done: local change + audit row. */
export const committed = recordWrite
