/**
 * IntegrationConfig → `x-amazon-apigateway-integration` in AWS's form (type in lower case,
 * `httpMethod`, `uri`, mock request template and `responses.default`), so that AWS and Portico
 * both import the result. REST mappings go back to REST's grammar when they can.
 */
import type { IntegrationConfig, MockResponseConfig, RouteConfig } from '../config/types'
import type { JsonObject } from './json'
import { cloneJson, isRecord } from './json'
import { lambdaTarget, syntheticInvokeArn, workerBinding } from './lambda-arn'
import { exportRestRequestParameters } from './parameter-mapping'

/**
 * The route's cache fields back into its exported operation: `cacheKeyParameters` in the
 * integration (AWS's place for them) and `x-portico-cache-shared` on the operation.
 */
export function exportRouteCache(route: RouteConfig, op: JsonObject): void {
  const integration = op['x-amazon-apigateway-integration']
  if (route.cacheKeyParameters !== undefined && isRecord(integration)) {
    integration.cacheKeyParameters = [...route.cacheKeyParameters]
  }
  if (route.cacheShared !== undefined) op['x-portico-cache-shared'] = route.cacheShared
}

export function exportIntegration(
  integration: IntegrationConfig,
  protocolType: string
): JsonObject {
  const {
    uri: originalUri,
    mockResponseTemplates,
    ...kept
  } = cloneJson(integration.passthrough ?? {})
  const out: JsonObject = { ...kept }
  if (integration.description !== undefined) out.description = integration.description
  if (integration.timeoutInMillis !== undefined) out.timeoutInMillis = integration.timeoutInMillis
  if (integration.payloadFormatVersion !== undefined)
    out.payloadFormatVersion = integration.payloadFormatVersion
  if (integration.responseParameters !== undefined)
    out.responseParameters = cloneJson(integration.responseParameters)
  switch (integration.type) {
    case 'HTTP_PROXY':
    case 'HTTP': {
      out.type = integration.type.toLowerCase()
      out.httpMethod = integration.integrationMethod ?? 'ANY'
      if (integration.integrationUri !== undefined) out.uri = integration.integrationUri
      const params =
        protocolType === 'REST'
          ? exportRestRequestParameters(integration.requestParameters, integration.integrationUri)
          : integration.requestParameters
      if (params !== undefined) out.requestParameters = { ...params }
      break
    }
    case 'WORKER': {
      out.type = 'aws_proxy'
      // AWS: Lambda is always invoked with POST.
      out.httpMethod = 'POST'
      const binding = workerBinding(integration.integrationUri) ?? ''
      const imported = typeof originalUri === 'string' ? lambdaTarget(originalUri) : undefined
      out.uri =
        imported !== undefined &&
        imported.integrationUri === integration.integrationUri &&
        typeof originalUri === 'string'
          ? originalUri
          : syntheticInvokeArn(binding)
      if (integration.requestParameters !== undefined)
        out.requestParameters = { ...integration.requestParameters }
      break
    }
    case 'MOCK':
      Object.assign(
        out,
        exportMock(integration.mockResponse ?? { statusCode: 200 }, kept, mockResponseTemplates)
      )
      break
  }
  return out
}

function exportMock(mock: MockResponseConfig, kept: JsonObject, templates: unknown): JsonObject {
  const response: JsonObject = { statusCode: String(mock.statusCode) }
  const headers = Object.entries(mock.headers ?? {})
  if (headers.length > 0) {
    response.responseParameters = Object.fromEntries(
      headers.map(([name, value]) => [`method.response.header.${name}`, `'${value}'`])
    )
  }
  if (isRecord(templates)) response.responseTemplates = templates
  else if (mock.body !== undefined) {
    const contentType = headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1]
    response.responseTemplates = { [contentType ?? 'application/json']: mock.body }
  }
  const others = isRecord(kept.responses) ? kept.responses : {}
  return {
    type: 'mock',
    requestTemplates: isRecord(kept.requestTemplates)
      ? kept.requestTemplates
      : { 'application/json': `{"statusCode": ${String(mock.statusCode)}}` },
    responses: { ...others, default: response },
  }
}
