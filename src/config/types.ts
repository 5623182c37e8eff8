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
  /** JWT and request (Lambda-style) authorizers; routes refer to them by `authorizerId`. */
  authorizers?: AuthorizerConfig[]
  /** JSON Schema (draft 4) models; routes refer to them by name in `requestModels`. */
  models?: ModelConfig[]
  /** AWS request validators; routes refer to them by `requestValidatorId`. */
  requestValidators?: RequestValidatorConfig[]
  /** CORS (HTTP API `corsConfiguration`, REST `x-amazon-apigateway-cors`). */
  corsConfiguration?: CorsConfig
  /** WEBSOCKET APIs: Origin allow-list and connection/message limits (defaults as AWS). */
  webSocket?: WebSocketSettingsConfig
}

/** An authorizer (apigatewayv2 Authorizer shape; REST TOKEN/REQUEST authorizers map here). */
export interface AuthorizerConfig {
  /** Stable id, referenced by `RouteConfig.authorizerId`. */
  id: string
  name: string
  authorizerType: 'JWT' | 'REQUEST' | 'TOKEN'
  /**
   * Where the identity comes from, AWS HTTP API syntax: `$request.header.Authorization`,
   * `$request.querystring.token`, `$context.x`, `$stageVariables.x`. JWT: exactly one (default
   * `$request.header.Authorization`); TOKEN: exactly one header; REQUEST: any number (all must
   * be present, else 401 without calling the authorizer).
   */
  identitySource?: string[]
  /** JWT authorizers only. */
  jwtConfiguration?: JwtConfiguration
  /** REQUEST/TOKEN: `worker://BINDING` (service binding) or an `https://` endpoint. */
  authorizerUri?: string
  /** REQUEST/TOKEN: 0–3600 s, default 300; 0 turns the result cache off. */
  authorizerResultTtlInSeconds?: number
  /** REQUEST: event format sent to the authorizer (HTTP APIs default 2.0, REST 1.0). */
  authorizerPayloadFormatVersion?: '1.0' | '2.0'
  /** REQUEST 2.0: the authorizer may answer `{isAuthorized, context}` instead of an IAM policy. */
  enableSimpleResponses?: boolean
  /** TOKEN: the token must match this regular expression (vetted at write) before the call. */
  identityValidationExpression?: string
  /** REQUEST/TOKEN: call timeout, 50–29000 ms, default 10000. */
  authorizerTimeoutInMillis?: number
}

export interface JwtConfiguration {
  /** Expected `iss`, exact match. */
  issuer: string
  /** Accepted `aud` values (one must match). */
  audience: string[]
  /** JWKS endpoint; absent: discovered from `{issuer}/.well-known/openid-configuration`. */
  jwksUri?: string
  /** Allowed `alg` values, pinned (RS*, PS*, ES*, EdDSA; never `none`). Default `["RS256"]`. */
  algorithms?: string[]
  /** 0–60 s of clock skew allowed on `exp`/`nbf`/`iat`. Default 0. */
  clockLeewaySeconds?: number
}

/** A JSON Schema draft 4 model (AWS Model). */
export interface ModelConfig {
  id: string
  /** Alphanumeric, referenced from `RouteConfig.requestModels`. */
  name: string
  contentType: string
  /** The parsed JSON Schema (AWS keeps it as a string; stored parsed, vetted at write). */
  schema: Record<string, unknown>
  description?: string
}

/** AWS RequestValidator. */
export interface RequestValidatorConfig {
  id: string
  name: string
  validateRequestBody?: boolean
  validateRequestParameters?: boolean
}

/** HTTP API `corsConfiguration` (exact origins; `*` only without credentials). */
export interface CorsConfig {
  allowOrigins?: string[]
  allowMethods?: string[]
  allowHeaders?: string[]
  exposeHeaders?: string[]
  /** Seconds, 0–86400. */
  maxAge?: number
  allowCredentials?: boolean
}

/** Portico's WebSocket settings (AWS has fixed limits; here they are the defaults). */
export interface WebSocketSettingsConfig {
  /** Exact `Origin` values admitted on `$connect`; absent: no browser-origin check. */
  allowOrigins?: string[]
  /** Largest message in bytes (default 131072 = 128 KiB); larger closes with 1009. */
  maxMessageBytes?: number
  /** Seconds without a message before the gateway closes (default 600). */
  idleTimeoutSeconds?: number
  /** Longest connection in seconds (default 7200). */
  maxConnectionSeconds?: number
  /** New connections per second per API key (or per client IP without a key). */
  newConnectionsPerSecond?: number
  /** Messages queued for one slow connection before it is closed with 1013 (default 1000). */
  maxQueuedMessages?: number
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
  /** Request validator by id in `ApiConfig.requestValidators`. */
  requestValidatorId?: string
  /** Content type → model name (`ApiConfig.models`); REST `requestBody` / WebSocket models. */
  requestModels?: Record<string, string>
  /** WEBSOCKET: selects the `requestModels` entry for a message (e.g. `$request.body.action`). */
  modelSelectionExpression?: string
  /** WEBSOCKET: `$default` to send the integration's answer back to the caller. */
  routeResponseSelectionExpression?: string
  /** WEBSOCKET: route responses (AWS RouteResponse). */
  routeResponses?: RouteResponseConfig[]
}

/** WEBSOCKET route response (AWS RouteResponse). */
export interface RouteResponseConfig {
  id: string
  /** `$default` (the only key AWS supports for proxy integrations). */
  routeResponseKey: string
  modelSelectionExpression?: string
  responseModels?: Record<string, string>
}

/** WEBSOCKET integration response (AWS IntegrationResponse). */
export interface IntegrationResponseConfig {
  id: string
  /** `$default` or a status pattern like `/2\d\d/`. */
  integrationResponseKey: string
  /** Content type (or `$default`) → template answered to the caller. */
  responseTemplates?: Record<string, string>
  templateSelectionExpression?: string
  contentHandlingStrategy?: 'CONVERT_TO_BINARY' | 'CONVERT_TO_TEXT'
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
  /** WEBSOCKET: request templates by selection value (MOCK: `{"statusCode": 200}`). */
  requestTemplates?: Record<string, string>
  templateSelectionExpression?: string
  /** WEBSOCKET: integration responses (AWS IntegrationResponse). */
  integrationResponses?: IntegrationResponseConfig[]
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
  /**
   * Bumped by FlushStageAuthorizersCache; part of every request-authorizer result-cache key, so
   * a flush reaches every isolate as the stage document does.
   */
  authorizerCacheGeneration?: number
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
