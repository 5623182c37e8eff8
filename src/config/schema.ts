/**
 * JSON Schema (draft 2020-12) of the stored config documents: the single source of truth for
 * their shape and limits. `validate.ts` runs it (with @cfworker/json-schema) and then the
 * semantic checks a schema cannot express. docs/config.schema.json is generated from
 * `CONFIG_JSON_SCHEMA` (test/config/schema.test.ts fails when they differ).
 */
import type { Schema } from '@cfworker/json-schema'
import { GATEWAY_RESPONSE_TYPES } from '../errors/gateway-error'
import { JWT_ALGORITHMS } from './jwt-algorithms'
import { CONFIG_SCHEMA_VERSION } from './types'
import * as L from './limits'

/** AWS apiId / restApiId. */
export const API_ID_PATTERN = '^[a-z0-9]{10}$'
/** Route, integration, deployment, authorizer and mapping ids: URL- and KV-key-safe. */
export const RESOURCE_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$'
/** AWS: alphanumerics, hyphens, underscores, ≤ 128; HTTP APIs also have `$default`. */
export const STAGE_NAME_PATTERN = '^(\\$default|[A-Za-z0-9_-]{1,128})$'
/** AWS: stage variable names are alphanumerics and underscores. */
export const STAGE_VARIABLE_NAME_PATTERN = '^[A-Za-z0-9_]{1,64}$'
/** AWS: values must match `[A-Za-z0-9-._~:/?#&=,]+`, up to 2048 characters. */
export const STAGE_VARIABLE_VALUE_PATTERN = '^[A-Za-z0-9._~:/?#&=,-]{1,2048}$'
/** RFC 9110 §5.1 field-name token. */
export const HEADER_NAME_PATTERN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$"
/** RFC 9110 §5.5: no CR, LF, NUL or other controls in a field value (HTAB allowed). */
export const NO_CONTROL_CHARS_PATTERN = '^[^\\u0000-\\u0008\\u000a-\\u001f\\u007f]*$'
/** ISO 8601 timestamp as AWS returns it (`2024-05-01T12:00:00Z`, fractional seconds allowed). */
export const TIMESTAMP_PATTERN =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$'

const str = (maxLength: number, extra: Schema = {}): Schema => ({
  type: 'string',
  maxLength,
  ...extra,
})
const text = (maxLength: number, minLength = 0): Schema =>
  str(maxLength, { minLength, pattern: NO_CONTROL_CHARS_PATTERN })
const bool: Schema = { type: 'boolean' }
const integer = (minimum: number, maximum: number): Schema => ({
  type: 'integer',
  minimum,
  maximum,
})
const array = (items: Schema, maxItems: number): Schema => ({ type: 'array', maxItems, items })
/** A string-keyed map; `__proto__` is refused as a key so no consumer can trip over it. */
const map = (names: Schema, values: Schema, maxProperties: number): Schema => ({
  type: 'object',
  maxProperties,
  propertyNames: { ...names, not: { const: '__proto__' } },
  additionalProperties: values,
})
const object = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  required,
  additionalProperties: false,
  properties,
})
/** A free-form JSON object kept for round-trips (its size is bounded by the document cap). */
const freeObject: Schema = { type: 'object', maxProperties: 200 }

const schemaVersion: Schema = { const: CONFIG_SCHEMA_VERSION }
const apiId = str(10, { pattern: API_ID_PATTERN })
const resourceId = str(L.MAX_ID_LENGTH, { pattern: RESOURCE_ID_PATTERN })
const stageName = str(128, { pattern: STAGE_NAME_PATTERN, not: { const: '@connections' } })
const timestamp = str(40, { pattern: TIMESTAMP_PATTERN })
const description = text(L.MAX_DESCRIPTION_LENGTH)
const headerName = str(128, { pattern: HEADER_NAME_PATTERN })
const headerValue = text(L.MAX_HEADER_VALUE_LENGTH)
const tags = map(str(128, { minLength: 1 }), text(256), L.MAX_TAGS)
const stageVariables = map(
  str(64, { pattern: STAGE_VARIABLE_NAME_PATTERN }),
  str(L.MAX_STAGE_VARIABLE_VALUE_LENGTH, { pattern: STAGE_VARIABLE_VALUE_PATTERN }),
  L.MAX_STAGE_VARIABLES
)

/** Entries per resource policy list (allow or deny). */
export const MAX_RESOURCE_POLICY_ENTRIES = 100
/** A CIDR block or address; the syntax proper is checked in code (validate-api.ts). */
const cidr = str(64, { minLength: 1, pattern: '^[0-9A-Fa-f:./]+$' })
const resourcePolicy = object({
  sourceIpAllow: array(cidr, MAX_RESOURCE_POLICY_ENTRIES),
  sourceIpDeny: array(cidr, MAX_RESOURCE_POLICY_ENTRIES),
})

/** A media type (`application/json`) or `$default` (WebSocket model/template selection). */
const mediaType = str(256, {
  pattern: '^(\\$default|[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+*-]+)$',
})
/** AWS: model names are alphanumeric. */
const modelName = str(128, { pattern: '^[A-Za-z0-9]{1,128}$' })
const templates = map(mediaType, str(L.MAX_TEMPLATE_LENGTH), L.MAX_RESPONSE_TEMPLATES)

const route = object(
  {
    id: resourceId,
    routeKey: text(L.MAX_ROUTE_KEY_LENGTH, 1),
    integrationId: resourceId,
    operationName: text(256),
    apiKeyRequired: bool,
    authorizationType: { enum: ['NONE', 'JWT', 'CUSTOM', 'AWS_IAM', 'COGNITO_USER_POOLS'] },
    authorizerId: resourceId,
    authorizationScopes: array(str(256, { pattern: '^\\S+$' }), L.MAX_AUTHORIZATION_SCOPES),
    requestParameters: map(
      str(512, {
        pattern:
          '^(method|route)\\.request\\.(querystring|header|path|multivaluequerystring|multivalueheader)\\.\\S+$',
      }),
      bool,
      L.MAX_PARAMETERS
    ),
    openapiOperation: freeObject,
    cacheKeyParameters: array(
      str(256, {
        pattern:
          '^method\\.request\\.(querystring|header|path|multivaluequerystring|multivalueheader)\\.[^\\s]{1,200}$',
      }),
      50
    ),
    cacheShared: bool,
    resourcePolicy,
    requestValidatorId: resourceId,
    requestModels: map(mediaType, modelName, L.MAX_REQUEST_MODELS),
    modelSelectionExpression: str(256, { minLength: 1, pattern: '^\\S+$' }),
    routeResponseSelectionExpression: str(256, { minLength: 1, pattern: '^\\$\\S' }),
    routeResponses: array(
      object(
        {
          id: resourceId,
          routeResponseKey: str(256, { minLength: 1, pattern: '^\\S+$' }),
          modelSelectionExpression: str(256, { minLength: 1, pattern: '^\\S+$' }),
          responseModels: map(mediaType, modelName, L.MAX_REQUEST_MODELS),
        },
        ['id', 'routeResponseKey']
      ),
      L.MAX_ROUTE_RESPONSES
    ),
  },
  ['id', 'routeKey']
)

const mockResponse = object(
  {
    statusCode: integer(100, 599),
    headers: map(headerName, headerValue, L.MAX_HEADERS),
    body: str(L.MAX_MOCK_BODY_LENGTH),
  },
  ['statusCode']
)

const mappingValue = text(L.MAX_URI_LENGTH)
const integration = object(
  {
    id: resourceId,
    type: { enum: ['HTTP_PROXY', 'HTTP', 'MOCK', 'WORKER'] },
    integrationUri: str(L.MAX_URI_LENGTH, { pattern: '^\\S+$' }),
    integrationMethod: {
      enum: ['ANY', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    },
    timeoutInMillis: integer(L.MIN_TIMEOUT_MS, L.MAX_TIMEOUT_MS),
    payloadFormatVersion: { enum: ['1.0', '2.0'] },
    requestParameters: map(
      str(512, {
        pattern:
          "^((overwrite|append|remove):(header\\.[!#$%&'*+.^_`|~0-9A-Za-z-]+|querystring\\.\\S+|path)|integration\\.request\\.(header|querystring|path)\\.\\S+)$",
      }),
      mappingValue,
      L.MAX_PARAMETERS
    ),
    responseParameters: map(
      str(3, { pattern: '^([1-5][0-9][0-9]|[1-5]XX)$' }),
      map(
        str(512, {
          pattern:
            "^((overwrite|append|remove):(header\\.[!#$%&'*+.^_`|~0-9A-Za-z-]+|statuscode)|method\\.response\\.header\\.[!#$%&'*+.^_`|~0-9A-Za-z-]+)$",
        }),
        mappingValue,
        L.MAX_PARAMETERS
      ),
      L.MAX_PARAMETERS
    ),
    mockResponse,
    requestTemplates: templates,
    templateSelectionExpression: str(256, { minLength: 1, pattern: '^\\S+$' }),
    integrationResponses: array(
      object(
        {
          id: resourceId,
          integrationResponseKey: str(256, { minLength: 1, pattern: '^\\S+$' }),
          responseTemplates: templates,
          templateSelectionExpression: str(256, { minLength: 1, pattern: '^\\S+$' }),
          contentHandlingStrategy: { enum: ['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT'] },
        },
        ['id', 'integrationResponseKey']
      ),
      L.MAX_INTEGRATION_RESPONSES
    ),
    passthrough: freeObject,
    description,
  },
  ['id', 'type']
)

const gatewayResponse = object({
  statusCode: integer(100, 599),
  responseParameters: map(headerName, headerValue, L.MAX_HEADERS),
  responseTemplates: map(
    str(256, { pattern: '^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+*-]+$' }),
    str(L.MAX_TEMPLATE_LENGTH),
    L.MAX_RESPONSE_TEMPLATES
  ),
})

/** `$request.header.X`, `$request.querystring.x`, `$context.x`, `$stageVariables.x`. */
const identitySourceEntry = str(256, {
  pattern:
    "^\\$(request\\.header\\.[!#$%&'*+.^_`|~0-9A-Za-z-]+|request\\.querystring\\.[^\\s]+|context\\.[A-Za-z0-9_.]+|stageVariables\\.[A-Za-z0-9_]+)$",
})
const authorizer = object(
  {
    id: resourceId,
    name: text(L.MAX_NAME_LENGTH, 1),
    authorizerType: { enum: ['JWT', 'REQUEST', 'TOKEN'] },
    identitySource: array(identitySourceEntry, L.MAX_IDENTITY_SOURCES),
    jwtConfiguration: object(
      {
        issuer: str(L.MAX_URI_LENGTH, { minLength: 1, pattern: '^\\S+$' }),
        audience: array(text(L.MAX_URI_LENGTH, 1), L.MAX_AUDIENCES),
        jwksUri: str(L.MAX_URI_LENGTH, { pattern: '^https?://\\S+$' }),
        algorithms: array({ enum: [...JWT_ALGORITHMS] }, JWT_ALGORITHMS.length),
        clockLeewaySeconds: integer(0, L.MAX_JWT_LEEWAY_SECONDS),
      },
      ['issuer', 'audience']
    ),
    authorizerUri: str(L.MAX_URI_LENGTH, { pattern: '^\\S+$' }),
    authorizerResultTtlInSeconds: integer(0, 3600),
    authorizerPayloadFormatVersion: { enum: ['1.0', '2.0'] },
    enableSimpleResponses: bool,
    identityValidationExpression: str(1024, { minLength: 1 }),
    authorizerTimeoutInMillis: integer(L.MIN_TIMEOUT_MS, L.MAX_TIMEOUT_MS),
  },
  ['id', 'name', 'authorizerType']
)

const model = object(
  {
    id: resourceId,
    name: modelName,
    contentType: mediaType,
    // The schema proper is vetted in code (draft 4 keywords, no remote $ref, safe patterns).
    schema: freeObject,
    description,
  },
  ['id', 'name', 'contentType', 'schema']
)

const requestValidator = object(
  {
    id: resourceId,
    name: text(L.MAX_NAME_LENGTH, 1),
    validateRequestBody: bool,
    validateRequestParameters: bool,
  },
  ['id', 'name']
)

const corsConfiguration = object({
  allowOrigins: array(str(L.MAX_URI_LENGTH, { minLength: 1, pattern: '^\\S+$' }), 100),
  allowMethods: array(str(16, { pattern: '^(\\*|[A-Z]{1,16})$' }), 16),
  allowHeaders: array(str(128, { pattern: "^(\\*|[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128})$" }), 100),
  exposeHeaders: array(str(128, { pattern: "^(\\*|[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128})$" }), 100),
  maxAge: integer(0, 86400),
  allowCredentials: bool,
})

const webSocket = object({
  allowOrigins: array(str(L.MAX_URI_LENGTH, { minLength: 1, pattern: '^\\S+$' }), 100),
  maxMessageBytes: integer(1, 1024 * 1024),
  idleTimeoutSeconds: integer(1, 7200),
  maxConnectionSeconds: integer(1, 86400),
  newConnectionsPerSecond: integer(1, L.MAX_THROTTLE_VALUE),
  maxQueuedMessages: integer(1, 100000),
})

/** Schema of `ApiConfig` (KV `api/{apiId}`, and `DeploymentConfig.api`). */
export const API_CONFIG_SCHEMA: Schema = object(
  {
    schemaVersion,
    id: apiId,
    name: text(L.MAX_NAME_LENGTH, 1),
    protocolType: { enum: ['REST', 'HTTP', 'WEBSOCKET'] },
    description,
    version: text(64),
    createdDate: timestamp,
    routeSelectionExpression: str(256, { minLength: 1, pattern: '^\\$\\S' }),
    apiKeySource: { enum: ['HEADER', 'AUTHORIZER'] },
    disableExecuteApiEndpoint: bool,
    allowLoopbackUpstreams: bool,
    binaryMediaTypes: array(
      str(256, { pattern: '^[A-Za-z0-9!#$&^_.+*-]+/[A-Za-z0-9!#$&^_.+*-]+$' }),
      L.MAX_BINARY_MEDIA_TYPES
    ),
    tags,
    routes: array(route, L.MAX_ROUTES),
    integrations: array(integration, L.MAX_INTEGRATIONS),
    gatewayResponses: map({ enum: [...GATEWAY_RESPONSE_TYPES] }, gatewayResponse, 64),
    importWarnings: array(text(L.MAX_DESCRIPTION_LENGTH), L.MAX_IMPORT_WARNINGS),
    openapiExtras: freeObject,
    resourcePolicy,
    authorizers: array(authorizer, L.MAX_AUTHORIZERS),
    models: array(model, L.MAX_MODELS),
    requestValidators: array(requestValidator, L.MAX_REQUEST_VALIDATORS),
    corsConfiguration,
    webSocket,
  },
  ['schemaVersion', 'id', 'name', 'protocolType', 'createdDate', 'routes', 'integrations']
)

/** Schema of `DeploymentConfig` (KV `deployment/{apiId}/{deploymentId}`). */
export const DEPLOYMENT_CONFIG_SCHEMA: Schema = object(
  {
    schemaVersion,
    id: resourceId,
    apiId,
    createdDate: timestamp,
    description,
    api: API_CONFIG_SCHEMA,
  },
  ['schemaVersion', 'id', 'apiId', 'createdDate', 'api']
)

const routeSettings = object({
  throttlingBurstLimit: integer(0, L.MAX_THROTTLE_VALUE),
  throttlingRateLimit: { type: 'number', minimum: 0, maximum: L.MAX_THROTTLE_VALUE },
  cachingEnabled: bool,
  cacheTtlInSeconds: integer(0, L.MAX_CACHE_TTL_SECONDS),
  requireAuthorizationForCacheControl: bool,
  unauthorizedCacheControlHeaderStrategy: {
    enum: ['FAIL_WITH_403', 'SUCCEED_WITH_RESPONSE_HEADER', 'SUCCEED_WITHOUT_RESPONSE_HEADER'],
  },
  cacheNonSuccessResponses: bool,
  detailedMetricsEnabled: bool,
  loggingLevel: { enum: ['OFF', 'ERROR', 'INFO'] },
})

/** Schema of `StageConfig` (KV `stage/{apiId}/{stageName}`). */
export const STAGE_CONFIG_SCHEMA: Schema = object(
  {
    schemaVersion,
    apiId,
    stageName,
    deploymentId: resourceId,
    description,
    variables: stageVariables,
    accessLogSettings: object(
      { format: text(L.MAX_ACCESS_LOG_FORMAT_LENGTH, 1), destinationArn: text(L.MAX_URI_LENGTH) },
      ['format']
    ),
    canarySettings: object(
      {
        percentTraffic: { type: 'number', minimum: 0, maximum: 100 },
        deploymentId: resourceId,
        stageVariableOverrides: stageVariables,
      },
      ['percentTraffic', 'deploymentId']
    ),
    defaultRouteSettings: routeSettings,
    routeSettings: map(text(L.MAX_ROUTE_KEY_LENGTH, 1), routeSettings, L.MAX_ROUTE_SETTINGS),
    autoDeploy: bool,
    cacheClusterEnabled: bool,
    cacheGeneration: integer(0, Number.MAX_SAFE_INTEGER),
    authorizerCacheGeneration: integer(0, Number.MAX_SAFE_INTEGER),
    tags,
    createdDate: timestamp,
    lastUpdatedDate: timestamp,
  },
  ['schemaVersion', 'apiId', 'stageName', 'createdDate', 'lastUpdatedDate']
)

/** Schema of `DomainNameConfig` (KV `domain/{domainName}`). DNS syntax is checked in code. */
export const DOMAIN_NAME_CONFIG_SCHEMA: Schema = object(
  {
    schemaVersion,
    domainName: str(L.MAX_DOMAIN_NAME_LENGTH, { minLength: 1, pattern: '^[a-z0-9*._-]+$' }),
    createdDate: timestamp,
    mappings: array(
      object(
        {
          apiMappingId: resourceId,
          apiId,
          stage: stageName,
          apiMappingKey: str(L.MAX_API_MAPPING_KEY_LENGTH, { pattern: '^[A-Za-z0-9._~/-]*$' }),
        },
        ['apiMappingId', 'apiId', 'stage', 'apiMappingKey']
      ),
      L.MAX_API_MAPPINGS
    ),
    tags,
  },
  ['schemaVersion', 'domainName', 'createdDate', 'mappings']
)

/** The published schema (docs/config.schema.json): every document type under `$defs`. */
export const CONFIG_JSON_SCHEMA: Schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:portico:config:1',
  title: 'Portico stored config documents (schemaVersion 1)',
  description: 'Generated from src/config/schema.ts. Reference: docs/config-reference.md.',
  $defs: {
    ApiConfig: API_CONFIG_SCHEMA,
    DeploymentConfig: DEPLOYMENT_CONFIG_SCHEMA,
    StageConfig: STAGE_CONFIG_SCHEMA,
    DomainNameConfig: DOMAIN_NAME_CONFIG_SCHEMA,
  },
  oneOf: [
    { $ref: '#/$defs/ApiConfig' },
    { $ref: '#/$defs/DeploymentConfig' },
    { $ref: '#/$defs/StageConfig' },
    { $ref: '#/$defs/DomainNameConfig' },
  ],
}
