/**
 * apigatewayv2 deployments: `/v2/apis/{apiId}/deployments[/{deploymentId}]`. A deployment is an
 * immutable snapshot of the API (`DeploymentConfig.api`); `stageName` on create repoints that
 * stage. A deployment a stage (or its canary) serves cannot be deleted.
 */
import { Hono } from 'hono'
import { checkApiConfig } from '../../config/check'
import type { DeploymentConfig } from '../../config/types'
import type { GatewayEnv } from '../../env'
import { configStore, KV_KEYS } from '../../storage/config-store'
import { v2Queries } from '../../storage/config-queries-v2'
import { badRequest, invalidConfig, notFound } from '../errors'
import { paginate } from './paging'
import { compact, readBody } from './parse'
import {
  committed,
  findStage,
  listStages,
  loadV2Api,
  deployToStage,
  type V2Context,
  writeDeployment,
} from './store'
import { deploymentToWire } from './wire-stage'

/** Deployments are checked as documents too: a hand-written one may be malformed. */
function isDeployment(doc: unknown, apiId: string): doc is DeploymentConfig {
  if (typeof doc !== 'object' || doc === null || !('api' in doc) || !('id' in doc)) return false
  return 'apiId' in doc && doc.apiId === apiId && checkApiConfig(doc.api).ok
}

async function findDeployment(c: V2Context, apiId: string, id: string) {
  const doc = await v2Queries.deployment(c.env.ROUTES, apiId, id)
  if (doc === null) return undefined
  if (!isDeployment(doc, apiId)) throw new Error(`stored deployment ${apiId}/${id} is invalid`)
  return doc
}

async function loadDeployment(c: V2Context, apiId: string, id: string) {
  const d = await findDeployment(c, apiId, id)
  return d ?? notFound(`Invalid Deployment identifier specified ${id}`)
}

/** Deployments of the v2 API surface; mounted under `/apis`. */
export const deploymentRoutes = new Hono<GatewayEnv>()

deploymentRoutes.post('/:apiId/deployments', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const f = await readBody(c)
  const description = f.str('description')
  const stageName = f.str('stageName')
  f.done()
  const stage = stageName === undefined ? undefined : await findStage(c, api.id, stageName)
  if (stageName !== undefined && stage === undefined) {
    badRequest(`'stageName': stage ${stageName} does not exist in API ${api.id}`)
  }
  // The working definition was checked when written; check again, it may be hand-written.
  const checked = checkApiConfig(api)
  if (!checked.ok) throw invalidConfig('API configuration', checked.error)
  const deployment =
    stage === undefined
      ? await writeDeployment(c, checked.value, description)
      : (await deployToStage(c, checked.value, stage, description)).deployment
  await committed(c, 'CreateDeployment', `/v2/apis/${api.id}/deployments/${deployment.id}`)
  return c.json(deploymentToWire(deployment), 201)
})

deploymentRoutes.get('/:apiId/deployments', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const ids = await v2Queries.deploymentIds(c.env.ROUTES, api.id)
  const page = paginate(ids, (id) => id, c.req.query())
  const items = await Promise.all(page.items.map((id) => loadDeployment(c, api.id, id)))
  return c.json({
    items: items.map(deploymentToWire),
    ...compact({ nextToken: page.nextToken }),
  })
})

deploymentRoutes.get('/:apiId/deployments/:deploymentId', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const d = await loadDeployment(c, api.id, c.req.param('deploymentId'))
  return c.json(deploymentToWire(d))
})

deploymentRoutes.delete('/:apiId/deployments/:deploymentId', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const d = await loadDeployment(c, api.id, c.req.param('deploymentId'))
  const stages = await listStages(c, api.id)
  if (stages.some((s) => s.deploymentId === d.id || s.canarySettings?.deploymentId === d.id)) {
    // AWS's message for the same refusal.
    badRequest('Active stages pointing to this deployment must be moved or deleted')
  }
  await configStore.deleteKey(c.env.ROUTES, KV_KEYS.deployment(api.id, d.id))
  await committed(c, 'DeleteDeployment', `/v2/apis/${api.id}/deployments/${d.id}`)
  return c.body(null, 204)
})
