/**
 * apigateway v1 Deployment resource: CreateDeployment (snapshot + optional stage), GetDeployments,
 * GetDeployment, DeleteDeployment. A deployment is immutable once written.
 */
import { Hono, type Context } from 'hono'
import { checkApiConfig } from '../config/check'
import { newResourceId } from '../config/ids'
import type { DeploymentConfig, StageConfig } from '../config/types'
import type { GatewayEnv } from '../env'
import { configStore, KV_KEYS } from '../storage/config-store'
import { listDeploymentIds, loadDeployment, loadStage, loadStages } from '../storage/config-queries'
import { recordWrite } from './commit'
import { badRequest, invalidConfig } from './errors'
import { jsonBody, optObject, optString, optStringMap, page, pagingQuery } from './input'
import { epochSeconds, nowIso, requireDeployment, requireRestApi } from './rest-api-shape'
import { methodOut, splitRouteKey } from './resources'
import { canaryFromInput, checkStageName, saveStage } from './stage-shape'

export const deploymentRoutes = new Hono<GatewayEnv>()

function deploymentOut(d: DeploymentConfig, summary: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { id: d.id, createdDate: epochSeconds(d.createdDate) }
  if (d.description !== undefined) out.description = d.description
  if (summary) {
    // AWS `apiSummary`: path → method → {authorizationType, apiKeyRequired}.
    const apiSummary: Record<string, Record<string, unknown>> = {}
    for (const route of d.api.routes) {
      const split = splitRouteKey(route.routeKey)
      if (split === null) continue
      const m = methodOut(split[0], route)
      apiSummary[split[1]] = {
        ...apiSummary[split[1]],
        [split[0]]: { authorizationType: m.authorizationType, apiKeyRequired: m.apiKeyRequired },
      }
    }
    out.apiSummary = apiSummary
  }
  return out
}

const wantsSummary = (c: Context): boolean =>
  (c.req.queries('embed') ?? []).some((e) => e.split(',').includes('apisummary'))

/** The stage a CreateDeployment with `stageName` writes (created, repointed or given a canary). */
function stageForDeployment(
  body: Record<string, unknown>,
  existing: StageConfig | null,
  apiId: string,
  stageName: string,
  deploymentId: string,
  now: string
): StageConfig {
  const canaryInput = optObject(body, 'canarySettings')
  const variables = optStringMap(body, 'variables')
  const stageDescription = optString(body, 'stageDescription')
  if (canaryInput !== undefined) {
    // AWS: a canary deployment is a release candidate on an existing, deployed stage.
    if (existing?.deploymentId === undefined) {
      return badRequest(`Stage ${stageName} must exist and be deployed to receive a canary`)
    }
    return {
      ...existing,
      canarySettings: canaryFromInput(canaryInput, deploymentId),
      lastUpdatedDate: now,
    }
  }
  const stage: StageConfig = existing ?? {
    schemaVersion: 1,
    apiId,
    stageName,
    createdDate: now,
    lastUpdatedDate: now,
  }
  const next: StageConfig = { ...stage, deploymentId, lastUpdatedDate: now }
  if (variables !== undefined) next.variables = { ...stage.variables, ...variables }
  if (existing === null && stageDescription !== undefined) next.description = stageDescription
  return next
}

deploymentRoutes.post('/restapis/:restApiId/deployments', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const body = await jsonBody(c)
  if (api.routes.length === 0) return badRequest("The REST API doesn't contain any methods")
  const checked = checkApiConfig(api)
  if (!checked.ok) throw invalidConfig('API definition', checked.error)
  const now = nowIso()
  const deployment: DeploymentConfig = {
    schemaVersion: 1,
    id: newResourceId(),
    apiId: api.id,
    createdDate: now,
    api: checked.value,
  }
  const description = optString(body, 'description')
  if (description !== undefined) deployment.description = description
  const stageName = optString(body, 'stageName')
  let stage: StageConfig | undefined
  if (stageName !== undefined && stageName !== '') {
    checkStageName(stageName)
    const existing = await loadStage(c.env.ROUTES, api.id, stageName)
    stage = stageForDeployment(body, existing, api.id, stageName, deployment.id, now)
  } else if (body.canarySettings !== undefined || body.variables !== undefined) {
    return badRequest("'stageName' is required with 'variables' or 'canarySettings'")
  }
  // The snapshot is written before any stage points at it.
  await configStore.putDeployment(c.env.ROUTES, deployment)
  await recordWrite(c, 'CreateDeployment', `/restapis/${api.id}/deployments/${deployment.id}`)
  if (stage !== undefined) {
    try {
      await saveStage(c, stage, 'CreateDeployment')
    } catch (error) {
      // The stage refused it (e.g. its variables make an upstream private): keep no orphan.
      await configStore.deleteKey(c.env.ROUTES, KV_KEYS.deployment(api.id, deployment.id))
      await recordWrite(c, 'DeleteDeployment', `/restapis/${api.id}/deployments/${deployment.id}`)
      throw error
    }
  }
  return c.json(deploymentOut(deployment, false), 201)
})

deploymentRoutes.get('/restapis/:restApiId/deployments', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const paging = pagingQuery(c)
  const deployments: DeploymentConfig[] = []
  for (const id of await listDeploymentIds(c.env.ROUTES, api.id)) {
    const d = await loadDeployment(c.env.ROUTES, api.id, id)
    if (d !== null) deployments.push(d)
  }
  const result = page(deployments, (d) => d.id, paging)
  const item = result.item.map((d) => deploymentOut(d, wantsSummary(c)))
  return c.json(result.position === undefined ? { item } : { item, position: result.position })
})

deploymentRoutes.get('/restapis/:restApiId/deployments/:deploymentId', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const d = await requireDeployment(c, api.id, c.req.param('deploymentId'))
  return c.json(deploymentOut(d, wantsSummary(c)))
})

deploymentRoutes.delete('/restapis/:restApiId/deployments/:deploymentId', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const d = await requireDeployment(c, api.id, c.req.param('deploymentId'))
  const stages = await loadStages(c.env.ROUTES, api.id)
  if (stages.some((s) => s.deploymentId === d.id || s.canarySettings?.deploymentId === d.id)) {
    // AWS answers exactly this for a deployment that a stage (or its canary) still serves.
    return badRequest('Active stages pointing to this deployment must be moved or deleted')
  }
  await configStore.deleteKey(c.env.ROUTES, KV_KEYS.deployment(api.id, d.id))
  await recordWrite(c, 'DeleteDeployment', `/restapis/${api.id}/deployments/${d.id}`)
  return c.body(null, 202)
})
