/**
 * apigateway v1 Stage resource: CreateStage, GetStages, GetStage, UpdateStage, DeleteStage.
 * A stage is a pointer to a deployment; rollback is UpdateStage of `/deploymentId`.
 */
import { Hono, type Context } from 'hono'
import type { StageConfig } from '../config/types'
import type { GatewayEnv } from '../env'
import { configStore, KV_KEYS } from '../storage/config-store'
import { loadDeployment, loadStage, loadStages } from '../storage/config-queries'
import { recordWrite } from './commit'
import { badRequest, conflict } from './errors'
import { jsonBody, optBool, optObject, optString, optStringMap } from './input'
import { nowIso, requireDeployment, requireRestApi, requireStage } from './rest-api-shape'
import { applyStagePatch } from './stage-patch'
import { stageCacheRoutes } from './stage-cache'
import {
  applyStageCacheInput,
  canaryFromInput,
  checkStageName,
  saveStage,
  stageOut,
} from './stage-shape'

export const stageRoutes = new Hono<GatewayEnv>()

// FlushStageCache / FlushStageAuthorizersCache (`…/stages/{stage}/cache/*`).
stageRoutes.route('/', stageCacheRoutes)

/** Both deployments a stage serves must exist (AWS refuses a dangling pointer). */
async function checkDeployments(c: Context<GatewayEnv>, stage: StageConfig): Promise<void> {
  for (const id of [stage.deploymentId, stage.canarySettings?.deploymentId]) {
    if (id !== undefined && (await loadDeployment(c.env.ROUTES, stage.apiId, id)) === null) {
      badRequest(`Invalid deployment identifier specified: ${id}`)
    }
  }
}

stageRoutes.post('/restapis/:restApiId/stages', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const body = await jsonBody(c)
  const stageName = optString(body, 'stageName')
  const deploymentId = optString(body, 'deploymentId')
  if (stageName === undefined) return badRequest("'stageName' is required")
  if (deploymentId === undefined) return badRequest("'deploymentId' is required")
  checkStageName(stageName)
  await requireDeployment(c, api.id, deploymentId)
  if ((await loadStage(c.env.ROUTES, api.id, stageName)) !== null) {
    return conflict('Stage already exists')
  }
  if (optBool(body, 'tracingEnabled') === true) {
    return badRequest('X-Ray tracing is not supported')
  }
  const now = nowIso()
  const stage: StageConfig = {
    schemaVersion: 1,
    apiId: api.id,
    stageName,
    deploymentId,
    createdDate: now,
    lastUpdatedDate: now,
  }
  const description = optString(body, 'description')
  const variables = optStringMap(body, 'variables')
  const tags = optStringMap(body, 'tags')
  const canaryInput = optObject(body, 'canarySettings')
  applyStageCacheInput(stage, body)
  if (description !== undefined) stage.description = description
  if (variables !== undefined) stage.variables = variables
  if (tags !== undefined) stage.tags = tags
  if (canaryInput !== undefined) {
    const canaryDeployment = optString(canaryInput, 'deploymentId')
    if (canaryDeployment === undefined) {
      return badRequest("'canarySettings.deploymentId' is required")
    }
    stage.canarySettings = canaryFromInput(canaryInput, canaryDeployment)
  }
  await checkDeployments(c, stage)
  return c.json(stageOut(await saveStage(c, stage, 'CreateStage')), 201)
})

stageRoutes.get('/restapis/:restApiId/stages', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const deploymentId = c.req.query('deploymentId')
  const stages = (await loadStages(c.env.ROUTES, api.id)).filter(
    (s) => deploymentId === undefined || s.deploymentId === deploymentId
  )
  return c.json({ item: stages.map(stageOut) })
})

stageRoutes.get('/restapis/:restApiId/stages/:stageName', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  return c.json(stageOut(await requireStage(c, api.id, c.req.param('stageName'))))
})

stageRoutes.patch('/restapis/:restApiId/stages/:stageName', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const existing = await requireStage(c, api.id, c.req.param('stageName'))
  const next = applyStagePatch(existing, await jsonBody(c))
  next.lastUpdatedDate = nowIso()
  await checkDeployments(c, next)
  return c.json(stageOut(await saveStage(c, next, 'UpdateStage')))
})

stageRoutes.delete('/restapis/:restApiId/stages/:stageName', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const stage = await requireStage(c, api.id, c.req.param('stageName'))
  await configStore.deleteKey(c.env.ROUTES, KV_KEYS.stage(api.id, stage.stageName))
  await recordWrite(c, 'DeleteStage', `/restapis/${api.id}/stages/${stage.stageName}`)
  return c.body(null, 202)
})
