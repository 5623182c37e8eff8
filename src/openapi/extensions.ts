/**
 * Warnings for the API Gateway extensions Portico keeps but does not act on yet. AWS: "Working
 * with API Gateway extensions to OpenAPI" lists them; each is reported with its JSON Pointer so
 * nothing is dropped silently, and kept (operation or document extras) so export gives it back.
 */
import type { Diagnostics } from './diagnostics'
import { child, isRecord } from './json'

const PREFIX = 'x-amazon-apigateway-'

const NOT_YET: Record<string, string> = {
  'x-amazon-apigateway-authorizer': 'Cognito user pool authorizers are not supported',
  'x-amazon-apigateway-authtype': 'x-amazon-apigateway-authtype is not supported yet',
  'x-amazon-apigateway-auth': 'x-amazon-apigateway-auth (legacy) is not supported yet',
  // REST imports turn these into config; HTTP APIs have no request validation (AWS).
  'x-amazon-apigateway-request-validator': 'Request validation is not supported for HTTP APIs',
  'x-amazon-apigateway-request-validators': 'Request validation is not supported for HTTP APIs',
  'x-amazon-apigateway-cors': 'CORS configuration is only read at the document level',
  'x-amazon-apigateway-policy': 'Resource policies are only read at the document level',
  'x-amazon-apigateway-endpoint-configuration':
    'Endpoint configuration (other than disableExecuteApiEndpoint) is not supported',
  'x-amazon-apigateway-documentation': 'Documentation parts are not supported yet',
  'x-amazon-apigateway-minimum-compression-size': 'Response compression is not supported yet',
  'x-amazon-apigateway-gateway-responses': 'This gateway response mapping is not supported yet',
  'x-amazon-apigateway-integrations': 'Reusable integrations (components) are not supported yet',
}

/** Warns for every `x-amazon-apigateway-*` key found anywhere in `value` (depth-bounded input). */
export function warnExtensions(value: unknown, path: string, d: Diagnostics): void {
  if (Array.isArray(value)) {
    value.forEach((v: unknown, i) => {
      warnExtensions(v, child(path, i), d)
    })
    return
  }
  if (!isRecord(value)) return
  for (const [key, v] of Object.entries(value)) {
    const at = child(path, key)
    if (key.startsWith(PREFIX)) {
      d.warn(at, `${NOT_YET[key] ?? `Unknown extension ${key} is not supported`}; kept for export`)
    } else if (key.startsWith('x-portico-')) {
      d.warn(at, `Unknown extension ${key} is ignored; kept for export`)
    }
    warnExtensions(v, at, d)
  }
}

/** Whether a key is one of Portico's or API Gateway's extensions (stripped without extensions). */
export function isGatewayExtension(key: string): boolean {
  return key.startsWith(PREFIX) || key.startsWith('x-portico-')
}
