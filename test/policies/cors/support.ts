/** APIs with CORS for the data-plane CORS tests, and small request helpers. */
import type { CorsConfig, IntegrationConfig, RouteConfig } from '../../../src/config/types'
import { dataPlane, seedApi, type Seeded, type SeedOptions } from '../../support/seed'
import { ECHO } from '../support'

export const APP = 'https://app.example.com'
export const DEV = 'http://localhost:3000'

/** A strict configuration: exact origins, credentials, listed methods and headers. */
export const STRICT: CorsConfig = {
  allowOrigins: [APP, DEV],
  allowMethods: ['GET', 'POST', 'PUT'],
  allowHeaders: ['Content-Type', 'X-Api-Key', 'Authorization'],
  exposeHeaders: ['x-request-id', 'date'],
  maxAge: 600,
  allowCredentials: true,
}

export const MOCK_WITH_CORS: IntegrationConfig = {
  id: 'mockcors',
  type: 'MOCK',
  mockResponse: {
    statusCode: 200,
    headers: {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Allow-Methods': 'DELETE',
      Vary: 'Accept-Encoding, origin',
      'Content-Type': 'text/plain',
    },
    body: 'mock',
  },
}

export const ROUTES: RouteConfig[] = [
  { id: 'items', routeKey: 'GET /items', integrationId: 'echo' },
  { id: 'itemsopt', routeKey: 'OPTIONS /items', integrationId: 'echo' },
  { id: 'mockcors', routeKey: 'GET /mock', integrationId: 'mockcors' },
  { id: 'keyed', routeKey: 'GET /keyed', integrationId: 'echo', apiKeyRequired: true },
  { id: 'iam', routeKey: 'GET /iam', integrationId: 'echo', authorizationType: 'AWS_IAM' },
  {
    id: 'denied',
    routeKey: 'GET /denied',
    integrationId: 'echo',
    resourcePolicy: { sourceIpDeny: ['0.0.0.0/0', '::/0'] },
  },
]

export function corsApi(
  cors: CorsConfig | undefined,
  options: Partial<SeedOptions> = {}
): Promise<Seeded> {
  return seedApi({
    protocolType: 'HTTP',
    routes: ROUTES,
    integrations: [ECHO, MOCK_WITH_CORS],
    ...options,
    apiExtras: {
      ...(cors === undefined ? {} : { corsConfiguration: cors }),
      ...options.apiExtras,
    },
  })
}

/** A browser-shaped preflight. */
export function preflight(
  host: string,
  path: string,
  origin: string,
  method: string,
  requestHeaders?: string,
  extra: Record<string, string> = {}
): Promise<Response> {
  const headers: Record<string, string> = {
    origin,
    'access-control-request-method': method,
    ...extra,
  }
  if (requestHeaders !== undefined) headers['access-control-request-headers'] = requestHeaders
  return dataPlane(host, path, { method: 'OPTIONS', headers })
}

/** The CORS response headers, for whole-set comparisons. */
export function corsHeaders(response: Response): Record<string, string> {
  const out: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    if (name.startsWith('access-control-') || name === 'vary') out[name] = value
  })
  return out
}

/** A tag of its own per call, for counting upstream hits. */
export function freshTag(): string {
  return `cors-${crypto.randomUUID()}`
}
