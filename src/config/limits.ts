/**
 * Size and count caps for config documents. Every string and collection in a stored document is
 * bounded so that a hostile or broken document costs the loader a bounded amount of work
 * (SECURITY: "no request may cost the gateway 100× its size"). Counts follow AWS's default
 * quotas where AWS has one; docs/config-reference.md lists them.
 */

/** Largest document text accepted (bytes of UTF-8). KV values may be larger; ours may not. */
export const MAX_CONFIG_BYTES = 1024 * 1024
/** Deepest nesting of objects/arrays in any document (free-form fields included). */
export const MAX_CONFIG_DEPTH = 32
/** Most issues reported for one document; the rest are summarised in one final issue. */
export const MAX_REPORTED_ISSUES = 50

/** AWS default quota: 300 routes per HTTP API / resources per REST API. */
export const MAX_ROUTES = 300
/** AWS default quota: 300 integrations per HTTP API. */
export const MAX_INTEGRATIONS = 300
/** AWS: up to 100 stage variables per stage. */
export const MAX_STAGE_VARIABLES = 100
/** API mappings per domain name. */
export const MAX_API_MAPPINGS = 50
/** AWS: 50 tags per resource. */
export const MAX_TAGS = 50
export const MAX_BINARY_MEDIA_TYPES = 50
export const MAX_IMPORT_WARNINGS = 100
export const MAX_AUTHORIZATION_SCOPES = 50
/** Declared request parameters per route and mapping entries per integration. */
export const MAX_PARAMETERS = 100
export const MAX_HEADERS = 50
export const MAX_RESPONSE_TEMPLATES = 10
/** AWS default quotas: 10 authorizers per API, 200 models per API. */
export const MAX_AUTHORIZERS = 10
export const MAX_MODELS = 200
export const MAX_REQUEST_VALIDATORS = 50
export const MAX_REQUEST_MODELS = 10
export const MAX_ROUTE_RESPONSES = 10
export const MAX_INTEGRATION_RESPONSES = 20
/** AWS: up to 5 identity sources per authorizer; JWT audiences. */
export const MAX_IDENTITY_SOURCES = 5
export const MAX_AUDIENCES = 50
/** Clock skew a JWT authorizer may allow on `exp`/`nbf`/`iat`, in seconds. */
export const MAX_JWT_LEEWAY_SECONDS = 60
/** Route settings entries per stage: one per route at most. */
export const MAX_ROUTE_SETTINGS = MAX_ROUTES

export const MAX_NAME_LENGTH = 128
export const MAX_DESCRIPTION_LENGTH = 1024
export const MAX_ID_LENGTH = 64
export const MAX_ROUTE_KEY_LENGTH = 1024
export const MAX_URI_LENGTH = 2048
/** AWS: stage variable values up to 2048 characters. */
export const MAX_STAGE_VARIABLE_VALUE_LENGTH = 2048
export const MAX_HEADER_VALUE_LENGTH = 4096
export const MAX_MOCK_BODY_LENGTH = 65536
export const MAX_TEMPLATE_LENGTH = 65536
export const MAX_ACCESS_LOG_FORMAT_LENGTH = 4096
/** RFC 1035 §2.3.4: 253 characters in the text form of a name, 63 per label. */
export const MAX_DOMAIN_NAME_LENGTH = 253
export const MAX_DNS_LABEL_LENGTH = 63
export const MAX_API_MAPPING_KEY_LENGTH = 256

/** AWS: integration timeout 50 ms – 29 s. */
export const MIN_TIMEOUT_MS = 50
export const MAX_TIMEOUT_MS = 29000
/** AWS: cache TTL up to 3600 s. */
export const MAX_CACHE_TTL_SECONDS = 3600
/** Upper bound for per-stage/route throttling numbers (requests per second / burst). */
export const MAX_THROTTLE_VALUE = 1_000_000
