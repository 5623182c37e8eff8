/**
 * The validate step (AWS request validators): required parameters present and non-blank, and the
 * body valid against the route's model. Built once per route: the validator and the models are
 * looked up and compiled here; a route whose validator or model cannot be built answers 500
 * API_CONFIGURATION_ERROR (fail closed, never an unvalidated pass). Runs before throttling, so a
 * rejected request costs no quota.
 */
import type { ApiConfig, RouteConfig } from '../../config/types'
import { GatewayError } from '../../errors/gateway-error'
import type { Policy, PolicyHandler, RouteBuildInput } from '../../pipeline/types'
import { err, ok, type Result } from '../../result'
import { compileModel, type CompiledModel } from './compile-model'
import { DEFAULT_MODEL_KEY } from './media-type'
import { missingParametersMessage } from './messages'
import { validateBody } from './request-body'
import { missingParameters, requiredParameters } from './required-parameters'

function brokenRoute(reason: string): PolicyHandler {
  return () => Promise.reject(new GatewayError('API_CONFIGURATION_ERROR', { reason }))
}

/** The route's models by lower-cased media type (`$default` kept as is). */
function compileRouteModels(
  api: ApiConfig,
  route: RouteConfig
): Result<Map<string, CompiledModel>, string> {
  const models = new Map((api.models ?? []).map((m) => [m.name, m]))
  const compiled = new Map<string, CompiledModel>()
  for (const [mediaType, modelName] of Object.entries(route.requestModels ?? {})) {
    const model = compileModel(modelName, models)
    if (!model.ok) return err(`model ${modelName}: ${model.error}`)
    const key = mediaType === DEFAULT_MODEL_KEY ? mediaType : mediaType.toLowerCase()
    compiled.set(key, model.value)
  }
  return ok(compiled)
}

function build({ api, route }: RouteBuildInput): PolicyHandler | undefined {
  const validatorId = route.requestValidatorId
  if (validatorId === undefined) return undefined
  const validator = api.requestValidators?.find((v) => v.id === validatorId)
  if (validator === undefined) {
    return brokenRoute(`route ${route.routeKey}: unknown request validator ${validatorId}`)
  }
  const required =
    validator.validateRequestParameters === true ? requiredParameters(route.requestParameters) : []
  let models: ReadonlyMap<string, CompiledModel> = new Map()
  if (validator.validateRequestBody === true) {
    const compiled = compileRouteModels(api, route)
    if (!compiled.ok) return brokenRoute(`route ${route.routeKey}: ${compiled.error}`)
    models = compiled.value
  }
  // AWS: a method without models validates its body against `Empty`, which accepts anything.
  if (required.length === 0 && models.size === 0) return undefined

  return async (ctx, next) => {
    if (required.length > 0) {
      const missing = missingParameters(required, {
        query: ctx.query,
        headers: ctx.request.headers,
        pathParameters: ctx.pathParameters,
      })
      if (missing.length > 0) {
        throw new GatewayError('BAD_REQUEST_PARAMETERS', {
          message: missingParametersMessage(missing),
          reason: `${String(missing.length)} required parameters missing`,
        })
      }
    }
    if (models.size > 0) {
      const hadBody = ctx.request.body !== null
      const bytes = await validateBody(ctx.request, models)
      // The stream is consumed: the integration gets the same bytes, headers untouched.
      if (hadBody) ctx.request = new Request(ctx.request, { body: bytes })
    }
    return next()
  }
}

export const validatePolicy: Policy = { name: 'validate', build }
