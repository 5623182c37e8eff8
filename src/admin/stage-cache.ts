/**
 * apigateway v1 FlushStageCache and FlushStageAuthorizersCache.
 *
 * FlushStageCache (`DELETE /restapis/{id}/stages/{stage}/cache/data`, 202 as AWS) increments the
 * stage's `cacheGeneration`. Every cache key carries the generation, so the flush reaches every
 * location as fast as a stage change does (KV propagation plus CONFIG_CACHE_SECONDS), and this
 * isolate at once. Entries of older generations are never read again and age out of the Cache API.
 *
 * FlushStageAuthorizersCache (`…/cache/authorizers`, 202) increments the stage's
 * `authorizerCacheGeneration`, which is part of every request-authorizer result-cache key: the
 * flush reaches every isolate within the same bound as a stage change, and this isolate at once
 * (its entries of the stage are also dropped from memory). docs/request-authorizers.md.
 */
import { Hono } from 'hono'
import type { GatewayEnv } from '../env'
import { flushAuthorizerResults } from '../policies/authorization/request/result-cache'
import { requireRestApi, requireStage } from './rest-api-shape'
import { saveStage } from './stage-shape'

export const stageCacheRoutes = new Hono<GatewayEnv>()

stageCacheRoutes.delete('/restapis/:restApiId/stages/:stageName/cache/data', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const stage = await requireStage(c, api.id, c.req.param('stageName'))
  // Two concurrent flushes may both write n + 1: either way no entry of generation n is served.
  await saveStage(
    c,
    { ...stage, cacheGeneration: (stage.cacheGeneration ?? 0) + 1 },
    'FlushStageCache'
  )
  return c.body(null, 202)
})

stageCacheRoutes.delete('/restapis/:restApiId/stages/:stageName/cache/authorizers', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const stage = await requireStage(c, api.id, c.req.param('stageName'))
  await saveStage(
    c,
    { ...stage, authorizerCacheGeneration: (stage.authorizerCacheGeneration ?? 0) + 1 },
    'FlushStageAuthorizersCache'
  )
  flushAuthorizerResults(api.id, stage.stageName)
  return c.body(null, 202)
})
