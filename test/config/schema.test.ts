import { describe, expect, it } from 'vitest'
import {
  API_CONFIG_SCHEMA,
  CONFIG_JSON_SCHEMA,
  DEPLOYMENT_CONFIG_SCHEMA,
  DOMAIN_NAME_CONFIG_SCHEMA,
  STAGE_CONFIG_SCHEMA,
} from '../../src/config/schema'
import type {
  AccessLogSettingsConfig,
  ApiConfig,
  AuthorizerConfig,
  CorsConfig,
  IntegrationResponseConfig,
  JwtConfiguration,
  ModelConfig,
  RequestValidatorConfig,
  RouteResponseConfig,
  WebSocketSettingsConfig,
  ApiMappingConfig,
  CanarySettingsConfig,
  DeploymentConfig,
  DomainNameConfig,
  GatewayResponseConfig,
  IntegrationConfig,
  MockResponseConfig,
  ResourcePolicyConfig,
  RouteConfig,
  RouteSettingsConfig,
  StageConfig,
} from '../../src/config/types'
import { formatJson } from './format-json'

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T]
/** Every key of T (the compiler refuses a missing or extra one), flagged true when required. */
type Keys<T> = { [K in keyof T]-?: K extends RequiredKeys<T> ? true : false }

const API: Keys<ApiConfig> = {
  schemaVersion: true,
  id: true,
  name: true,
  protocolType: true,
  description: false,
  version: false,
  createdDate: true,
  routeSelectionExpression: false,
  apiKeySource: false,
  disableExecuteApiEndpoint: false,
  allowLoopbackUpstreams: false,
  binaryMediaTypes: false,
  tags: false,
  routes: true,
  integrations: true,
  gatewayResponses: false,
  importWarnings: false,
  openapiExtras: false,
  resourcePolicy: false,
  authorizers: false,
  models: false,
  requestValidators: false,
  corsConfiguration: false,
  webSocket: false,
}
const AUTHORIZER: Keys<AuthorizerConfig> = {
  id: true,
  name: true,
  authorizerType: true,
  identitySource: false,
  jwtConfiguration: false,
  authorizerUri: false,
  authorizerResultTtlInSeconds: false,
  authorizerPayloadFormatVersion: false,
  enableSimpleResponses: false,
  identityValidationExpression: false,
  authorizerTimeoutInMillis: false,
}
const JWT: Keys<JwtConfiguration> = {
  issuer: true,
  audience: true,
  jwksUri: false,
  algorithms: false,
  clockLeewaySeconds: false,
}
const MODEL: Keys<ModelConfig> = {
  id: true,
  name: true,
  contentType: true,
  schema: true,
  description: false,
}
const VALIDATOR: Keys<RequestValidatorConfig> = {
  id: true,
  name: true,
  validateRequestBody: false,
  validateRequestParameters: false,
}
const CORS: Keys<CorsConfig> = {
  allowOrigins: false,
  allowMethods: false,
  allowHeaders: false,
  exposeHeaders: false,
  maxAge: false,
  allowCredentials: false,
}
const WEBSOCKET: Keys<WebSocketSettingsConfig> = {
  allowOrigins: false,
  maxMessageBytes: false,
  idleTimeoutSeconds: false,
  maxConnectionSeconds: false,
  newConnectionsPerSecond: false,
  maxQueuedMessages: false,
}
const ROUTE_RESPONSE: Keys<RouteResponseConfig> = {
  id: true,
  routeResponseKey: true,
  modelSelectionExpression: false,
  responseModels: false,
}
const INTEGRATION_RESPONSE: Keys<IntegrationResponseConfig> = {
  id: true,
  integrationResponseKey: true,
  responseTemplates: false,
  templateSelectionExpression: false,
  contentHandlingStrategy: false,
}
const ROUTE: Keys<RouteConfig> = {
  id: true,
  routeKey: true,
  integrationId: false,
  operationName: false,
  apiKeyRequired: false,
  authorizationType: false,
  authorizerId: false,
  authorizationScopes: false,
  requestParameters: false,
  openapiOperation: false,
  cacheKeyParameters: false,
  cacheShared: false,
  resourcePolicy: false,
  requestValidatorId: false,
  requestModels: false,
  modelSelectionExpression: false,
  routeResponseSelectionExpression: false,
  routeResponses: false,
}
const RESOURCE_POLICY: Keys<ResourcePolicyConfig> = { sourceIpAllow: false, sourceIpDeny: false }
const INTEGRATION: Keys<IntegrationConfig> = {
  id: true,
  type: true,
  integrationUri: false,
  integrationMethod: false,
  timeoutInMillis: false,
  payloadFormatVersion: false,
  requestParameters: false,
  responseParameters: false,
  mockResponse: false,
  requestTemplates: false,
  templateSelectionExpression: false,
  integrationResponses: false,
  passthrough: false,
  description: false,
}
const MOCK: Keys<MockResponseConfig> = { statusCode: true, headers: false, body: false }
const GATEWAY_RESPONSE: Keys<GatewayResponseConfig> = {
  statusCode: false,
  responseParameters: false,
  responseTemplates: false,
}
const DEPLOYMENT: Keys<DeploymentConfig> = {
  schemaVersion: true,
  id: true,
  apiId: true,
  createdDate: true,
  description: false,
  api: true,
}
const STAGE: Keys<StageConfig> = {
  schemaVersion: true,
  apiId: true,
  stageName: true,
  deploymentId: false,
  description: false,
  variables: false,
  accessLogSettings: false,
  canarySettings: false,
  defaultRouteSettings: false,
  routeSettings: false,
  autoDeploy: false,
  cacheClusterEnabled: false,
  cacheGeneration: false,
  authorizerCacheGeneration: false,
  tags: false,
  createdDate: true,
  lastUpdatedDate: true,
}
const ACCESS_LOG: Keys<AccessLogSettingsConfig> = { format: true, destinationArn: false }
const CANARY: Keys<CanarySettingsConfig> = {
  percentTraffic: true,
  deploymentId: true,
  stageVariableOverrides: false,
}
const ROUTE_SETTINGS: Keys<RouteSettingsConfig> = {
  throttlingBurstLimit: false,
  throttlingRateLimit: false,
  cachingEnabled: false,
  cacheTtlInSeconds: false,
  requireAuthorizationForCacheControl: false,
  unauthorizedCacheControlHeaderStrategy: false,
  cacheNonSuccessResponses: false,
  detailedMetricsEnabled: false,
  loggingLevel: false,
}
const DOMAIN: Keys<DomainNameConfig> = {
  schemaVersion: true,
  domainName: true,
  createdDate: true,
  mappings: true,
  tags: false,
}
const MAPPING: Keys<ApiMappingConfig> = {
  apiMappingId: true,
  apiId: true,
  stage: true,
  apiMappingKey: true,
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The schema node at `path` below `root` (throws when absent: a test failure). */
function at(root: unknown, ...path: string[]): Record<string, unknown> {
  let node = root
  for (const key of path) node = isRecord(node) ? node[key] : undefined
  if (!isRecord(node)) throw new Error(`no schema node at ${path.join('/')}`)
  return node
}

const API_PROPS = ['properties']
/** [name, schema node, keys from the TS type] */
const PAIRS: [string, Record<string, unknown>, Record<string, boolean>][] = [
  ['ApiConfig', at(API_CONFIG_SCHEMA), API],
  ['RouteConfig', at(API_CONFIG_SCHEMA, ...API_PROPS, 'routes', 'items'), ROUTE],
  ['ResourcePolicyConfig', at(API_CONFIG_SCHEMA, ...API_PROPS, 'resourcePolicy'), RESOURCE_POLICY],
  [
    'ResourcePolicyConfig (per route)',
    at(API_CONFIG_SCHEMA, ...API_PROPS, 'routes', 'items', 'properties', 'resourcePolicy'),
    RESOURCE_POLICY,
  ],
  ['IntegrationConfig', at(API_CONFIG_SCHEMA, ...API_PROPS, 'integrations', 'items'), INTEGRATION],
  [
    'MockResponseConfig',
    at(API_CONFIG_SCHEMA, ...API_PROPS, 'integrations', 'items', 'properties', 'mockResponse'),
    MOCK,
  ],
  [
    'GatewayResponseConfig',
    at(API_CONFIG_SCHEMA, ...API_PROPS, 'gatewayResponses', 'additionalProperties'),
    GATEWAY_RESPONSE,
  ],
  ['AuthorizerConfig', at(API_CONFIG_SCHEMA, ...API_PROPS, 'authorizers', 'items'), AUTHORIZER],
  [
    'JwtConfiguration',
    at(API_CONFIG_SCHEMA, ...API_PROPS, 'authorizers', 'items', 'properties', 'jwtConfiguration'),
    JWT,
  ],
  ['ModelConfig', at(API_CONFIG_SCHEMA, ...API_PROPS, 'models', 'items'), MODEL],
  [
    'RequestValidatorConfig',
    at(API_CONFIG_SCHEMA, ...API_PROPS, 'requestValidators', 'items'),
    VALIDATOR,
  ],
  ['CorsConfig', at(API_CONFIG_SCHEMA, ...API_PROPS, 'corsConfiguration'), CORS],
  ['WebSocketSettingsConfig', at(API_CONFIG_SCHEMA, ...API_PROPS, 'webSocket'), WEBSOCKET],
  [
    'RouteResponseConfig',
    at(API_CONFIG_SCHEMA, ...API_PROPS, 'routes', 'items', 'properties', 'routeResponses', 'items'),
    ROUTE_RESPONSE,
  ],
  [
    'IntegrationResponseConfig',
    at(
      API_CONFIG_SCHEMA,
      ...API_PROPS,
      'integrations',
      'items',
      'properties',
      'integrationResponses',
      'items'
    ),
    INTEGRATION_RESPONSE,
  ],
  ['DeploymentConfig', at(DEPLOYMENT_CONFIG_SCHEMA), DEPLOYMENT],
  ['StageConfig', at(STAGE_CONFIG_SCHEMA), STAGE],
  [
    'AccessLogSettingsConfig',
    at(STAGE_CONFIG_SCHEMA, 'properties', 'accessLogSettings'),
    ACCESS_LOG,
  ],
  ['CanarySettingsConfig', at(STAGE_CONFIG_SCHEMA, 'properties', 'canarySettings'), CANARY],
  [
    'RouteSettingsConfig',
    at(STAGE_CONFIG_SCHEMA, 'properties', 'defaultRouteSettings'),
    ROUTE_SETTINGS,
  ],
  [
    'RouteSettingsConfig (per route)',
    at(STAGE_CONFIG_SCHEMA, 'properties', 'routeSettings', 'additionalProperties'),
    ROUTE_SETTINGS,
  ],
  ['DomainNameConfig', at(DOMAIN_NAME_CONFIG_SCHEMA), DOMAIN],
  ['ApiMappingConfig', at(DOMAIN_NAME_CONFIG_SCHEMA, 'properties', 'mappings', 'items'), MAPPING],
]

describe('config schema', () => {
  it.each(PAIRS)('%s: same properties and required set as the TS type', (_name, schema, keys) => {
    expect(Object.keys(at(schema, 'properties')).sort()).toEqual(Object.keys(keys).sort())
    const required = Object.entries(keys)
      .filter(([, r]) => r)
      .map(([k]) => k)
    const declared = Array.isArray(schema.required) ? schema.required.map(String) : []
    expect(declared.sort()).toEqual(required.sort())
    expect(schema.additionalProperties).toBe(false)
  })

  it('embeds the API schema in the deployment schema', () => {
    expect(DEPLOYMENT_CONFIG_SCHEMA.properties?.api).toBe(API_CONFIG_SCHEMA)
  })

  it('caps the length of every string and the size of every collection', () => {
    const unbounded: string[] = []
    const visit = (node: unknown, path: string): void => {
      if (!isRecord(node)) return
      if (node.type === 'string' && node.maxLength === undefined && node.enum === undefined) {
        unbounded.push(path)
      }
      if (node.type === 'array' && node.maxItems === undefined) unbounded.push(path)
      if (
        node.type === 'object' &&
        node.additionalProperties !== false &&
        node.maxProperties === undefined
      ) {
        unbounded.push(path)
      }
      for (const [k, v] of Object.entries(node)) {
        if (k === 'not' || k === 'const' || k === 'enum') continue
        visit(v, `${path}/${k}`)
      }
    }
    for (const [name, schema] of Object.entries(at(CONFIG_JSON_SCHEMA, '$defs')))
      visit(schema, name)
    expect(unbounded).toEqual([])
  })

  it('is published unchanged in docs/config.schema.json', async () => {
    // Regenerate with: npx vitest run --project worker test/config/schema.test.ts -u
    await expect(formatJson(CONFIG_JSON_SCHEMA)).toMatchFileSnapshot(
      '../../docs/config.schema.json'
    )
  })
})
