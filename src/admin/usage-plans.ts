/**
 * `/usageplans` (AWS apigateway v1 CreateUsagePlan, GetUsagePlans, GetUsagePlan,
 * UpdateUsagePlan, DeleteUsagePlan). Plans live in D1; every API stage a plan names must exist.
 */
import { Hono, type Context } from 'hono'
import { newResourceId } from '../config/ids'
import type { GatewayEnv } from '../env'
import * as plans from '../storage/usage-plans'
import type { UsagePlanRecord } from '../storage/usage-plan-types'
import { recordAudit } from './commit'
import { badRequest, conflict, notFound } from './errors'
import { jsonBody, optString, optStringMap, pagingQuery } from './input'
import { apiStagesInput, checkStagesExist, quotaInput, throttleInput } from './keys-plan-input'
import { applyPlanPatch } from './keys-plan-patch'
import { usagePlanOut } from './keys-shape'

export const usagePlanRoutes = new Hono<GatewayEnv>()

const MAX_TEXT = 1024

/** The plan or a 404 in AWS's words. */
export async function requirePlan(c: Context<GatewayEnv>, id: string): Promise<UsagePlanRecord> {
  const plan = await plans.getPlan(c.env.DB, id)
  return plan ?? notFound('Invalid Usage Plan ID specified')
}

function stageConflict(): never {
  return conflict('An API key cannot be in two usage plans that cover the same API stage')
}

usagePlanRoutes.post('/usageplans', async (c) => {
  const body = await jsonBody(c)
  const name = optString(body, 'name')
  if (name === undefined || name === '') return badRequest("'name' is required")
  const description = optString(body, 'description')
  if (name.length > MAX_TEXT || (description?.length ?? 0) > MAX_TEXT) {
    return badRequest(`'name' and 'description' must be at most ${String(MAX_TEXT)} characters`)
  }
  const apiStages = apiStagesInput(body.apiStages)
  await checkStagesExist(c, apiStages)
  const now = new Date().toISOString()
  const plan: UsagePlanRecord = {
    id: newResourceId(6),
    name,
    apiStages,
    createdDate: now,
    lastUpdatedDate: now,
  }
  if (description !== undefined) plan.description = description
  if (body.throttle !== undefined && body.throttle !== null) {
    plan.throttle = throttleInput(body.throttle, 'throttle')
  }
  if (body.quota !== undefined && body.quota !== null) plan.quota = quotaInput(body.quota)
  const tags = optStringMap(body, 'tags')
  if (tags !== undefined) plan.tags = tags
  await plans.createPlan(c.env.DB, plan)
  await recordAudit(c, 'CreateUsagePlan', `/usageplans/${plan.id}`)
  return c.json(usagePlanOut(plan), 201)
})

usagePlanRoutes.get('/usageplans', async (c) => {
  const paging = pagingQuery(c)
  const options: { after?: string; limit: number; keyId?: string } = { limit: paging.limit }
  if (paging.position !== undefined) options.after = paging.position
  const keyId = c.req.query('keyId')
  if (keyId !== undefined && keyId !== '') options.keyId = keyId
  const result = await plans.listPlans(c.env.DB, options)
  const item = result.items.map(usagePlanOut)
  return c.json(result.position === undefined ? { item } : { item, position: result.position })
})

usagePlanRoutes.get('/usageplans/:usagePlanId', async (c) => {
  return c.json(usagePlanOut(await requirePlan(c, c.req.param('usagePlanId'))))
})

usagePlanRoutes.patch('/usageplans/:usagePlanId', async (c) => {
  const plan = await requirePlan(c, c.req.param('usagePlanId'))
  const next = applyPlanPatch(plan, await jsonBody(c))
  const known = new Set(plan.apiStages.map((s) => `${s.apiId}:${s.stage}`))
  // Only newly added stages are checked: a stage deleted since it was added may stay listed.
  await checkStagesExist(
    c,
    next.apiStages.filter((s) => !known.has(`${s.apiId}:${s.stage}`))
  )
  next.lastUpdatedDate = new Date().toISOString()
  const outcome = await plans.updatePlan(c.env.DB, next)
  if (outcome === 'NOT_FOUND') return notFound('Invalid Usage Plan ID specified')
  if (outcome === 'STAGE_CONFLICT') return stageConflict()
  await recordAudit(c, 'UpdateUsagePlan', `/usageplans/${plan.id}`)
  return c.json(usagePlanOut(next))
})

usagePlanRoutes.delete('/usageplans/:usagePlanId', async (c) => {
  const id = c.req.param('usagePlanId')
  if (!(await plans.deletePlan(c.env.DB, id))) return notFound('Invalid Usage Plan ID specified')
  await recordAudit(c, 'DeleteUsagePlan', `/usageplans/${id}`)
  return c.body(null, 202)
})

export { stageConflict }
