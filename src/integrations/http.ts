/**
 * HTTP (non-proxy): like AWS's non-proxy HTTP integration, the upstream sees only what the
 * config names — the URI template (with path parameters), the body with its Content-Type, the
 * gateway's X-Forwarded-* headers, and whatever `requestParameters` maps. Client headers and
 * the client query string are not forwarded unless mapped. The response passes through, with
 * `responseParameters` applied.
 */
import type { IntegrationConfig } from '../config/types'
import type { IntegrationHandler } from '../pipeline/types'
import type { Result } from '../result'
import { buildHttpForward } from './http-forward'
import type { BuildInput } from './index'

/** Builds an HTTP (non-proxy) handler for one route of one (deployment, stage). */
export function buildHttpIntegration(
  integration: IntegrationConfig,
  input: BuildInput
): Result<IntegrationHandler, string> {
  return buildHttpForward(integration, input, 'mapped')
}
