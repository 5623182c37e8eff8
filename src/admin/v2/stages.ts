/**
 * apigatewayv2 stages: `/v2/apis/{apiId}/stages[/{stageName}]`. `stageVariables` ⇄
 * `StageConfig.variables`. A stage with `autoDeploy` is deployed when it is created or switched on,
 * and again on every change to its API (store.ts `commitApi`).
 */
import { Hono } from 'hono'
import {
  STAGE_NAME_PATTERN,
  STAGE_VARIABLE_NAME_PATTERN,
  STAGE_VARIABLE_VALUE_PATTERN,
} from '../../config/schema'
import type { ApiConfig, StageConfig } from '../../config/types'
import type { GatewayEnv } from '../../env'
import { flushAuthorizerResults } from '../../policies/authorization/request/result-cache'
import { configStore, KV_KEYS } from '../../storage/config-store'
import { v2Queries } from '../../storage/config-queries-v2'
import { badRequest, conflict } from '../errors'
import { paginate } from './paging'
import { compact, type Fields, readBody } from './parse'
import {
  AUTO_DEPLOY_DESCRIPTION,
  committed,
  deployToStage,
  findStage,
  listDomains,
  listStages,
  loadStage,
  loadV2Api,
  nowIso,
  putStage,
  type V2Context,
} from './store'
import { parseRouteSettings, stageToWire } from './wire-stage'

const STAGE_NAME = new RegExp(STAGE_NAME_PATTERN)
const VARIABLE_NAME = new RegExp(STAGE_VARIABLE_NAME_PATTERN)
const VARIABLE_VALUE = new RegExp(STAGE_VARIABLE_VALUE_PATTERN)

function readVariables(f: Fields): Record<string, string> | undefined {
  const vars = f.strMap('stageVariables')
  if (vars === undefined) return undefined
  for (const [name, value] of Object.entries(vars)) {
    if (!VARIABLE_NAME.test(name)) {
      badRequest(`'stageVariables.${name}': names may only contain letters, digits and _`)
    }
    if (!VARIABLE_VALUE.test(value)) {
      badRequest(`'stageVariables.${name}': values must match [A-Za-z0-9-._~:/?#&=,]+`)
    }
  }
  return vars
}

/** Reads the stage fields present in `f` over `base`. */
function applyStageFields(f: Fields, base: StageConfig): StageConfig {
  const log = f.obj('accessLogSettings')
  const format = log?.str('format')
  const destinationArn = log?.str('destinationArn')
  log?.done()
  const defaults = f.obj('defaultRouteSettings')
  const perRoute = f.objMap('routeSettings')
  const stage: StageConfig = {
    ...base,
    ...compact({
      deploymentId: f.str('deploymentId'),
      description: f.str('description'),
      variables: readVariables(f),
      autoDeploy: f.bool('autoDeploy'),
      defaultRouteSettings: defaults === undefined ? undefined : parseRouteSettings(defaults),
      routeSettings:
        perRoute === undefined
          ? undefined
          : Object.fromEntries(perRoute.map(([key, s]) => [key, parseRouteSettings(s)])),
    }),
  }
  f.done()
  // AWS: access logging is switched off by settings without a format.
  if (log !== undefined) {
    if (format === undefined || format === '') delete stage.accessLogSettings
    else stage.accessLogSettings = compact({ format, destinationArn })
  }
  return stage
}

/** A deployment id given by the caller must exist for this API. */
async function assertDeployment(c: V2Context, apiId: string, deploymentId: string | undefined) {
  if (deploymentId === undefined) return
  if ((await v2Queries.deployment(c.env.ROUTES, apiId, deploymentId)) === null) {
    badRequest(`'deploymentId': deployment ${deploymentId} does not exist in API ${apiId}`)
  }
}

/** Writes the stage; autoDeploy switched on (or created on) deploys the API to it first. */
async function saveStage(
  c: V2Context,
  api: ApiConfig,
  stage: StageConfig,
  wasAuto: boolean
): Promise<StageConfig> {
  if (stage.autoDeploy !== true || wasAuto) return putStage(c, stage)
  return (await deployToStage(c, api, stage, AUTO_DEPLOY_DESCRIPTION)).stage
}

/** Stages of the v2 API surface; mounted under `/apis`. */
export const stageRoutes = new Hono<GatewayEnv>()

stageRoutes.post('/:apiId/stages', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const f = await readBody(c)
  const stageName = f.requiredStr('stageName')
  if (!STAGE_NAME.test(stageName) || stageName === '@connections') {
    badRequest(`Invalid 'stageName' '${stageName}': letters, digits, - and _ (or $default)`)
  }
  if (stageName === '$default' && api.protocolType !== 'HTTP') {
    badRequest(`'stageName': $default is only allowed for HTTP APIs`)
  }
  if ((await findStage(c, api.id, stageName)) !== undefined) {
    conflict(`Stage ${stageName} already exists`)
  }
  const now = nowIso()
  const base: StageConfig = {
    schemaVersion: 1,
    apiId: api.id,
    stageName,
    createdDate: now,
    lastUpdatedDate: now,
  }
  const tags = f.strMap('tags')
  const stage = applyStageFields(f, tags === undefined ? base : { ...base, tags })
  await assertDeployment(c, api.id, stage.deploymentId)
  const saved = await saveStage(c, api, stage, false)
  await committed(c, 'CreateStage', `/v2/apis/${api.id}/stages/${stageName}`)
  return c.json(stageToWire(saved), 201)
})

stageRoutes.get('/:apiId/stages', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const page = paginate(await listStages(c, api.id), (s) => s.stageName, c.req.query())
  return c.json({ items: page.items.map(stageToWire), ...compact({ nextToken: page.nextToken }) })
})

stageRoutes.get('/:apiId/stages/:stageName', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  return c.json(stageToWire(await loadStage(c, api.id, c.req.param('stageName'))))
})

stageRoutes.patch('/:apiId/stages/:stageName', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const existing = await loadStage(c, api.id, c.req.param('stageName'))
  const stage = applyStageFields(await readBody(c), { ...existing, lastUpdatedDate: nowIso() })
  if (stage.deploymentId !== existing.deploymentId) {
    await assertDeployment(c, api.id, stage.deploymentId)
  }
  const saved = await saveStage(c, api, stage, existing.autoDeploy === true)
  await committed(c, 'UpdateStage', `/v2/apis/${api.id}/stages/${stage.stageName}`)
  return c.json(stageToWire(saved))
})

/**
 * ResetAuthorizersCache (AWS answers 204): bumps the stage's `authorizerCacheGeneration`, part of
 * every request-authorizer result-cache key — every isolate drops the stage's cached results
 * within the stage propagation bound, this one at once. Same as v1 FlushStageAuthorizersCache.
 */
stageRoutes.delete('/:apiId/stages/:stageName/cache/authorizers', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const stage = await loadStage(c, api.id, c.req.param('stageName'))
  await putStage(c, {
    ...stage,
    authorizerCacheGeneration: (stage.authorizerCacheGeneration ?? 0) + 1,
    lastUpdatedDate: nowIso(),
  })
  flushAuthorizerResults(api.id, stage.stageName)
  await committed(
    c,
    'ResetAuthorizersCache',
    `/v2/apis/${api.id}/stages/${stage.stageName}/cache/authorizers`
  )
  return c.body(null, 204)
})

stageRoutes.delete('/:apiId/stages/:stageName', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const stage = await loadStage(c, api.id, c.req.param('stageName'))
  for (const domain of await listDomains(c)) {
    if (domain.mappings.some((m) => m.apiId === api.id && m.stage === stage.stageName)) {
      conflict(`Stage ${stage.stageName} is mapped by domain name ${domain.domainName}`)
    }
  }
  await configStore.deleteKey(c.env.ROUTES, KV_KEYS.stage(api.id, stage.stageName))
  await committed(c, 'DeleteStage', `/v2/apis/${api.id}/stages/${stage.stageName}`)
  return c.body(null, 204)
})
