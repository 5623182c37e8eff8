/**
 * Official AWS SDK clients pointed at the local admin plane: endpoint `http://127.0.0.1:PORT`,
 * the admin key pair, and a build-step middleware that sets `Host: admin.localhost` before the
 * SigV4 signer runs (finalizeRequest step), so the signature covers the admin host.
 */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway'
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi'
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2'
import { inject } from 'vitest'

function hasHeaders(value: unknown): value is { headers: Record<string, string> } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'headers' in value &&
    typeof value.headers === 'object' &&
    value.headers !== null
  )
}

/** Runs before the SDK's own host-header middleware (build step, priority low). */
const HOST_OPTIONS = { step: 'build', name: 'porticoHost', priority: 'high' } as const

function common(): {
  endpoint: string
  region: string
  credentials: { accessKeyId: string; secretAccessKey: string }
  maxAttempts: number
  host: string
} {
  const g = inject('gateway')
  return {
    endpoint: `http://127.0.0.1:${String(g.port)}`,
    region: 'us-east-1',
    credentials: { accessKeyId: g.accessKeyId, secretAccessKey: g.secretAccessKey },
    // A failure must surface as is, not be retried into a slower failure.
    maxAttempts: 1,
    host: g.adminHost,
  }
}

/** A build-step middleware setting `Host` (admin or API host) before SigV4 signs the request. */
function withHost(host: string) {
  return <A extends { request: unknown }, R>(next: (args: A) => Promise<R>) =>
    (args: A): Promise<R> => {
      if (hasHeaders(args.request)) args.request.headers.host = host
      return next(args)
    }
}

/** `@aws-sdk/client-api-gateway` (REST APIs, apigateway v1) against the local admin plane. */
export function restApiClient(): APIGatewayClient {
  const { host, ...config } = common()
  const client = new APIGatewayClient(config)
  client.middlewareStack.add(withHost(host), HOST_OPTIONS)
  return client
}

/** `@aws-sdk/client-apigatewayv2` (HTTP/WebSocket APIs) against the local admin plane. */
export function httpApiClient(): ApiGatewayV2Client {
  const { host, ...config } = common()
  const client = new ApiGatewayV2Client(config)
  client.middlewareStack.add(withHost(host), HOST_OPTIONS)
  return client
}

/**
 * `@aws-sdk/client-apigatewaymanagementapi` for an API's stage: endpoint
 * `http://127.0.0.1:PORT/{stage}`, `Host` set to `{apiId}.execute-api.localhost` (signing name
 * `execute-api`), the admin key pair unless `secretAccessKey` overrides its secret.
 */
export function managementClient(
  apiId: string,
  stage: string,
  secretAccessKey?: string
): ApiGatewayManagementApiClient {
  const { endpoint, credentials, maxAttempts } = common()
  const client = new ApiGatewayManagementApiClient({
    endpoint: `${endpoint}/${stage}`,
    region: 'eu-central-1',
    credentials: { ...credentials, ...(secretAccessKey === undefined ? {} : { secretAccessKey }) },
    maxAttempts,
  })
  client.middlewareStack.add(withHost(`${apiId}.execute-api.localhost`), HOST_OPTIONS)
  return client
}
