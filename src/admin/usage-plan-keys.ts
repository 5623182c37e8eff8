/**
 * `/usageplans/{id}/keys` (AWS CreateUsagePlanKey, GetUsagePlanKeys, GetUsagePlanKey,
 * DeleteUsagePlanKey). AWS rule: a key may be in several plans, never in two that cover the same
 * API stage (409).
 */
import { Hono } from 'hono'
import type { GatewayEnv } from '../env'
import * as plans from '../storage/usage-plans'
import { recordAudit } from './commit'
import { badRequest, conflict, notFound } from './errors'
import { jsonBody, optString, pagingQuery } from './input'
import { usagePlanKeyOut } from './keys-shape'
import { requirePlan, stageConflict } from './usage-plans'

export const usagePlanKeyRoutes = new Hono<GatewayEnv>()

usagePlanKeyRoutes.post('/usageplans/:usagePlanId/keys', async (c) => {
  const planId = c.req.param('usagePlanId')
  const body = await jsonBody(c)
  const keyId = optString(body, 'keyId')
  if (keyId === undefined || keyId === '') return badRequest("'keyId' is required")
  if (optString(body, 'keyType') !== 'API_KEY') return badRequest("'keyType' must be API_KEY")
  const outcome = await plans.addKeyToPlan(c.env.DB, planId, keyId)
  if (outcome === 'PLAN_NOT_FOUND') return notFound('Invalid Usage Plan ID specified')
  if (outcome === 'KEY_NOT_FOUND') return notFound('Invalid API Key identifier specified')
  if (outcome === 'ALREADY_IN_PLAN') return conflict('The API key is already in this usage plan')
  if (outcome === 'STAGE_CONFLICT') return stageConflict()
  await recordAudit(c, 'CreateUsagePlanKey', `/usageplans/${planId}/keys/${keyId}`)
  const key = await plans.getPlanKey(c.env.DB, planId, keyId)
  return key === null
    ? notFound('Invalid API Key identifier specified')
    : c.json(usagePlanKeyOut(key), 201)
})

usagePlanKeyRoutes.get('/usageplans/:usagePlanId/keys', async (c) => {
  const plan = await requirePlan(c, c.req.param('usagePlanId'))
  const paging = pagingQuery(c)
  const options: { after?: string; limit: number; nameQuery?: string } = { limit: paging.limit }
  if (paging.position !== undefined) options.after = paging.position
  const nameQuery = c.req.query('name')
  if (nameQuery !== undefined && nameQuery !== '') options.nameQuery = nameQuery
  const result = await plans.listPlanKeys(c.env.DB, plan.id, options)
  const item = result.items.map(usagePlanKeyOut)
  return c.json(result.position === undefined ? { item } : { item, position: result.position })
})

usagePlanKeyRoutes.get('/usageplans/:usagePlanId/keys/:keyId', async (c) => {
  const plan = await requirePlan(c, c.req.param('usagePlanId'))
  const key = await plans.getPlanKey(c.env.DB, plan.id, c.req.param('keyId'))
  return key === null
    ? notFound('Invalid API Key identifier specified')
    : c.json(usagePlanKeyOut(key))
})

usagePlanKeyRoutes.delete('/usageplans/:usagePlanId/keys/:keyId', async (c) => {
  const plan = await requirePlan(c, c.req.param('usagePlanId'))
  const keyId = c.req.param('keyId')
  if (!(await plans.removeKeyFromPlan(c.env.DB, plan.id, keyId))) {
    return notFound('Invalid API Key identifier specified')
  }
  await recordAudit(c, 'DeleteUsagePlanKey', `/usageplans/${plan.id}/keys/${keyId}`)
  return c.body(null, 202)
})
