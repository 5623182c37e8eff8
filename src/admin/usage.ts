/**
 * `GET /usageplans/{id}/usage` (AWS GetUsage): `values` maps each key id to one
 * `[used, remaining]` pair per day from startDate to endDate (api-keys/usage-values.ts). Read
 * from D1 as the RateLimiter objects flush it, not with AWS's 30-minute lag.
 */
import { Hono } from 'hono'
import { firstNeededDay, usageRange, usageValues } from '../api-keys/usage-values'
import type { GatewayEnv } from '../env'
import { utcDay } from '../rate-limit/quota-period'
import { readUsage, type UsageQuery } from '../storage/usage-reader'
import { badRequest } from './errors'
import { pagingQuery } from './input'
import { requirePlan } from './usage-plans'

export const usageRoutes = new Hono<GatewayEnv>()

usageRoutes.get('/usageplans/:usagePlanId/usage', async (c) => {
  const plan = await requirePlan(c, c.req.param('usagePlanId'))
  const startDate = c.req.query('startDate')
  const endDate = c.req.query('endDate')
  if (startDate === undefined || endDate === undefined) {
    return badRequest("'startDate' and 'endDate' are required")
  }
  const range = usageRange(startDate, endDate)
  if (!range.ok) return badRequest(range.error)
  const paging = pagingQuery(c)
  const query: UsageQuery = {
    planId: plan.id,
    fromDay: utcDay(firstNeededDay(range.value.start, plan.quota)),
    toDay: endDate,
    limit: paging.limit,
  }
  const keyId = c.req.query('keyId')
  if (keyId !== undefined && keyId !== '') query.keyId = keyId
  if (paging.position !== undefined) query.after = paging.position
  const result = await readUsage(c.env.DB, query)
  const out: Record<string, unknown> = {
    usagePlanId: plan.id,
    startDate,
    endDate,
    values: usageValues(result.keyIds, result.rows, range.value, plan.quota),
  }
  if (result.position !== undefined) out.position = result.position
  return c.json(out)
})
