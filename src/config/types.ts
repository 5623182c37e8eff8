/**
 * The stored config shapes (KV documents). `config/schema.ts` is the JSON Schema that validates
 * them when written and when loaded; keep the two in step (test/config/schema.test.ts checks).
 * Field names follow AWS's management APIs so the admin API can hand them out nearly as-is.
 * Storage layout: docs/storage-schema.md. Reference: docs/config-reference.md.
 */
import type { GatewayErrorType } from '../errors/gateway-error'

export const CONFIG_SCHEMA_VERSION = 1

export type ProtocolType = 'REST' | 'HTTP' | 'WEBSOCKET'
export type IntegrationType = 'HTTP_PROXY' | 'HTTP' | 'MOCK' | 'WORKER'

/** An API's working definition, edited through the admin API. Deployments snapshot it. */
export interface ApiConfig {
  schemaVersion: 1
  /** 10 chars, [a-z0-9]. */
  id: string
  name: string
  protocolType: ProtocolType
  description?: string
  version?: string
  /** ISO 8601. */
  createdDate: string
  /** HTTP/WebSocket: `$request.method $request.path` (HTTP) or e.g. `$request.body.action`. */
  routeSelectionExpression?: string
  apiKeySource?: 'HEADER' | 'AUTHORIZER'
  /** When true, `{apiId}.{EXECUTE_API_DOMAIN}` does not serve the API (custom domains only). */
  disableExecuteApiEndpoint?: boolean
  /**
   * Local-development allowance: integrations may target loopback upstreams (127.0.0.0/8, ::1,
   * localhost). Everything else private stays refused. `x-portico-allow-loopback-upstreams`.
   */
  allowLoopbackUpstreams?: boolean
  binaryMediaTypes?: string[]
  tags?: Record<string, string>
  routes: RouteConfig[]
  integrations: IntegrationConfig[]
  /** Customized gateway responses by type (AWS `x-amazon-apigateway-gateway-responses`). */
  gatewayResponses?: Partial<Record<GatewayErrorType, GatewayResponseConfig>>
  /** Import warnings kept for the admin API's `warnings` field; not used at the edge. */
  importWarnings?: string[]
  /**
   * Document-level OpenAPI content Portico keeps for export but does not act on (yet): models,
   * security schemes, validators, CORS, policy, documentation, user `x-*` keys.
   */
  openapiExtras?: Record<string, unknown>
  /** IP allow/deny lists for every route (route-level lists add to these). */
  resourcePolicy?: ResourcePolicyConfig
}

/**
 * Portico resource policy (the IP part of AWS's `aws:SourceIp` conditions): CIDR blocks or single
 * addresses, IPv4 and IPv6, ≤ 100 entries per list, matched against the platform's client IP
 * only. Deny wins; when an allow list is present the IP must match one of its entries.
 */
export interface ResourcePolicyConfig {
  sourceIpAllow?: string[]
  sourceIpDeny?: string[]
}

export interface RouteConfig {
  /** Stable id (apigatewayv2 routeId; for REST, one per resource+method). */
  id: string
  /** `GET /pets/{petId}`, `ANY /files/{proxy+}`, `$default`. Paths are case-sensitive. */
  routeKey: string
  /** Integration by id in `ApiConfig.integrations`. A route without one answers 500. */
  integrationId?: string
  operationName?: string
  apiKeyRequired?: boolean
  authorizationType?: 'NONE' | 'JWT' | 'CUSTOM' | 'AWS_IAM' | 'COGNITO_USER_POOLS'
  authorizerId?: string
  authorizationScopes?: string[]
  /**
   * Declared request parameters, AWS style: `method.request.querystring.q` /
   * `method.request.header.h` / `method.request.path.p` → required.
   */
  requestParameters?: Record<string, boolean>
  /** REST: the OpenAPI operation's non-extension fields kept for export (summary, tags, …). */
  openapiOperation?: Record<string, unknown>
  /**
   * Response cache key parameters, AWS style (`method.request.querystring.q`,
   * `method.request.header.Accept`, `method.request.path.petId`).
   */
  cacheKeyParameters?: string[]
  /**
   * Portico (`x-portico-cache-shared`): on a route with authorization or API keys, cached
   * responses are shared between callers. Default false: the caller's identity is part of the key.
   */
  cacheShared?: boolean
  /** IP allow/deny lists added to the API's for this route. */
  resourcePolicy?: ResourcePolicyConfig
}

export interface IntegrationConfig {
  id: string
  type: IntegrationType
  /**
   * HTTP_PROXY / HTTP: absolute http(s) URL; may contain `{param}` / `{proxy}` placeholders
   * (path parameters) and `${stageVariables.name}`. WORKER: `worker://BINDING_NAME`.
   * MOCK: absent.
   */
  integrationUri?: string
  /** Upstream method; `ANY` (default) forwards the client's method. */
  integrationMethod?: string
  /** 50–29000 ms. Default 29000. */
  timeoutInMillis?: number
  /** WORKER: Lambda proxy event format. Default: 1.0 for REST APIs, 2.0 for HTTP APIs. */
  payloadFormatVersion?: '1.0' | '2.0'
  /**
   * Request parameter mapping in AWS's HTTP API grammar:
   * `overwrite:header.x` | `append:querystring.y` | `remove:header.z` | `overwrite:path` →
   * a value with `$request.*`, `$context.*`, `$stageVariables.*` references or literal text.
   */
  requestParameters?: Record<string, string>
  /** Response parameter mapping by upstream status code (`200`, `4XX`…): `overwrite:statuscode`… */
  responseParameters?: Record<string, Record<string, string>>
  /** MOCK: the response the gateway answers with. */
  mockResponse?: MockResponseConfig
  /** REST round-trip: AWS integration fields Portico keeps but does not act on. */
  passthrough?: Record<string, unknown>
  description?: string
}

export interface MockResponseConfig {
  statusCode: number
  headers?: Record<string, string>
  body?: string
}

export interface GatewayResponseConfig {
  statusCode?: number
  /** Header name → value (already unquoted). */
  responseParameters?: Record<string, string>
  /** Content type → template (`$context.error.messageString`, `$context.requestId`, …). */
  responseTemplates?: Record<string, string>
}

/** An immutable snapshot of an API, served by stages. Never edited after it is written. */
export interface DeploymentConfig {
  schemaVersion: 1
  id: string
  apiId: string
  createdDate: string
  description?: string
  api: ApiConfig
}

export interface CanarySettingsConfig {
  /** 0–100, may be fractional. */
  percentTraffic: number
  deploymentId: string
  stageVariableOverrides?: Record<string, string>
}

export interface AccessLogSettingsConfig {
  /** AWS `$context.*` access-log format (JSON or CLF-like text). */
  format: string
  destinationArn?: string
}

/** Throttle/cache/logging settings for a stage or one route (AWS methodSettings/routeSettings). */
export interface RouteSettingsConfig {
  throttlingBurstLimit?: number
  throttlingRateLimit?: number
  cachingEnabled?: boolean
  /** 0–3600; 0 disables caching. AWS default 300. */
  cacheTtlInSeconds?: number
  /** AWS: a client's `Cache-Control: max-age=0` invalidates only when the caller is authorized. */
  requireAuthorizationForCacheControl?: boolean
  unauthorizedCacheControlHeaderStrategy?:
    'FAIL_WITH_403' | 'SUCCEED_WITH_RESPONSE_HEADER' | 'SUCCEED_WITHOUT_RESPONSE_HEADER'
  /** Portico: also cache non-2xx responses (never by default). */
  cacheNonSuccessResponses?: boolean
  detailedMetricsEnabled?: boolean
  loggingLevel?: 'OFF' | 'ERROR' | 'INFO'
}

export interface StageConfig {
  schemaVersion: 1
  apiId: string
  stageName: string
  /** Absent: the stage exists but is not deployed (answers like an unknown route). */
  deploymentId?: string
  description?: string
  variables?: Record<string, string>
  accessLogSettings?: AccessLogSettingsConfig
  canarySettings?: CanarySettingsConfig
  defaultRouteSettings?: RouteSettingsConfig
  /** Keyed by route key (`GET /pets`) or AWS method-settings path (`/pets/GET`, `*\/*`). */
  routeSettings?: Record<string, RouteSettingsConfig>
  /** HTTP APIs: redeploy on every change. */
  autoDeploy?: boolean
  /** AWS `cacheClusterEnabled`: the stage's response cache is on (routes opt in via settings). */
  cacheClusterEnabled?: boolean
  /**
   * Bumped by a stage cache flush; part of every cache key, so a flush reaches every location
   * as the stage document does (docs/operations.md bound).
   */
  cacheGeneration?: number
  tags?: Record<string, string>
  createdDate: string
  lastUpdatedDate: string
}

export interface ApiMappingConfig {
  apiMappingId: string
  apiId: string
  stage: string
  /** '' (root) or a path like `v1` or `v1/orders`, no leading slash. */
  apiMappingKey: string
}

export interface DomainNameConfig {
  schemaVersion: 1
  /** `api.example.com`, or a wildcard `*.example.com` (matches one more label). */
  domainName: string
  createdDate: string
  mappings: ApiMappingConfig[]
  tags?: Record<string, string>
}
