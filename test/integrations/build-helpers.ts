/** Shared helpers for integration tests: build or fail loudly, and capture GatewayErrors. */
import { env } from 'cloudflare:workers'
import { expect } from 'vitest'
import type { ApiConfig, IntegrationConfig, RouteConfig } from '../../src/config/types'
import { GatewayError, type GatewayErrorType } from '../../src/errors/gateway-error'
import { buildIntegration } from '../../src/integrations'
import type { IntegrationHandler, RequestContext } from '../../src/pipeline/types'
import { makeApi, makeIntegration, makeRoute } from '../support/request-context'

/** The loopback upstream's base URL. */
export const upstream = (): string => `http://127.0.0.1:${String(env.UPSTREAM_PORT)}`

export interface BuildOptions {
  api?: ApiConfig
  route?: RouteConfig
  stageVariables?: Record<string, string>
}

/** Builds with loopback upstreams allowed; fails the test when the build fails. */
export function build(
  overrides: Partial<IntegrationConfig>,
  options: BuildOptions = {}
): IntegrationHandler {
  const result = buildError(overrides, options)
  if (!result.ok) expect.fail(`build failed: ${result.error}`)
  return result.value
}

/** Builds and returns the raw Result (for build-error tests). */
export function buildError(overrides: Partial<IntegrationConfig>, options: BuildOptions = {}) {
  return buildIntegration(makeIntegration(overrides), {
    api: options.api ?? makeApi({ allowLoopbackUpstreams: true }),
    route: options.route ?? makeRoute(),
    stageVariables: options.stageVariables ?? {},
  })
}

/** Runs the handler and returns the GatewayError it throws (fails if it does not throw one). */
export async function gatewayErrorOf(
  handler: IntegrationHandler,
  ctx: RequestContext
): Promise<GatewayError> {
  try {
    const response = await handler(ctx)
    return expect.fail(`expected a GatewayError, got HTTP ${String(response.status)}`)
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error
    return error
  }
}

/** Asserts the error type and that the reason never doubles as wire text. */
export async function expectGatewayError(
  handler: IntegrationHandler,
  ctx: RequestContext,
  type: GatewayErrorType
): Promise<GatewayError> {
  const error = await gatewayErrorOf(handler, ctx)
  expect(error.type).toBe(type)
  return error
}

/** JSON body of the upstream's /echo endpoint. */
export interface EchoBody {
  method: string
  path: string
  rawQuery: string
  headers: Record<string, string>
  body: string
}

export async function echoOf(response: Response): Promise<EchoBody> {
  expect(response.status).toBe(200)
  return await response.json()
}
