/**
 * HTTP_PROXY: the request and response stream through untouched except for header hygiene
 * (hop-by-hop, client-identity and method-override headers dropped; X-Forwarded-* written by the
 * gateway). Path parameters fill the URI template; the client's raw query string is appended to
 * the template's (AWS proxy behaviour). AWS HTTP APIs also apply parameter mapping to HTTP_PROXY
 * integrations, so `requestParameters` / `responseParameters` work here too.
 */
import type { IntegrationConfig } from '../config/types'
import type { IntegrationHandler } from '../pipeline/types'
import type { Result } from '../result'
import { buildHttpForward } from './http-forward'
import type { BuildInput } from './index'

/** Builds an HTTP_PROXY handler for one route of one (deployment, stage). */
export function buildHttpProxyIntegration(
  integration: IntegrationConfig,
  input: BuildInput
): Result<IntegrationHandler, string> {
  return buildHttpForward(integration, input, 'proxy')
}
