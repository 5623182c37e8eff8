/**
 * Integrations: the last step of the pipeline. `buildIntegration` precompiles one route's
 * integration for one (deployment, stage) — URI template with stage variables substituted and
 * SSRF-checked, mapping expressions, timeouts — and returns the per-request handler, or an error
 * string for config it cannot serve (the pipeline answers 500 API_CONFIGURATION_ERROR for it).
 * Reference: docs/integrations.md.
 */
import type { ApiConfig, IntegrationConfig, RouteConfig } from '../config/types'
import type { IntegrationHandler } from '../pipeline/types'
import type { Result } from '../result'
import { buildHttpIntegration } from './http'
import { buildHttpProxyIntegration } from './http-proxy'
import { buildMockIntegration } from './mock'
import { buildWorkerIntegration } from './worker'

/** What an integration is built against. */
export interface BuildInput {
  readonly api: ApiConfig
  readonly route: RouteConfig
  /** The stage's variables (canary overrides already applied). */
  readonly stageVariables: Readonly<Record<string, string>>
}

/** Builds the handler for `integration` on `input.route`; an error string when it cannot. */
export function buildIntegration(
  integration: IntegrationConfig,
  input: BuildInput
): Result<IntegrationHandler, string> {
  switch (integration.type) {
    case 'HTTP_PROXY':
      return buildHttpProxyIntegration(integration, input)
    case 'HTTP':
      return buildHttpIntegration(integration, input)
    case 'MOCK':
      return buildMockIntegration(integration)
    case 'WORKER':
      return buildWorkerIntegration(integration, input)
  }
}

export type { LambdaEventV1, LambdaIdentityV1, LambdaRequestContextV1 } from './lambda-event-v1'
export type { LambdaEventV2, LambdaRequestContextV2 } from './lambda-event-v2'
export type { LambdaResponseV1, LambdaResponseV2 } from './lambda-response'
