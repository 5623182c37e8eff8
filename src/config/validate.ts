/**
 * Validation of stored config documents, used when they are written (admin API: 400 naming each
 * issue, nothing written) and when they are loaded (edge: a bad document never replaces the last
 * good one). Order: size → JSON → depth → schemaVersion → JSON Schema → semantic checks.
 * Never throws: every failure is a list of `ConfigIssue`s.
 */
import { Validator, type Schema, type ValidationResult } from '@cfworker/json-schema'
import { err, ok, type Result } from '../result'
import type { ApiConfig, DeploymentConfig, DomainNameConfig, StageConfig } from './types'
import { CONFIG_SCHEMA_VERSION } from './types'
import { MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH } from './limits'
import {
  API_CONFIG_SCHEMA,
  DEPLOYMENT_CONFIG_SCHEMA,
  DOMAIN_NAME_CONFIG_SCHEMA,
  STAGE_CONFIG_SCHEMA,
} from './schema'
import { apiSemanticIssues } from './validate-api'
import { domainSemanticIssues } from './validate-domain'
import {
  capIssues,
  pointer,
  schemaIssues,
  unsupportedVersionMessage,
  type ConfigIssue,
} from './validate-issues'

export type { ConfigIssue } from './validate-issues'

/** The four stored document kinds, by the KV key prefix they live under. */
export interface ConfigDocuments {
  api: ApiConfig
  deployment: DeploymentConfig
  stage: StageConfig
  domain: DomainNameConfig
}
export type ConfigKind = keyof ConfigDocuments
export type ConfigResult<T> = Result<T, ConfigIssue[]>

interface Frame {
  value: unknown
  depth: number
  key: string | number
  parent: Frame | undefined
}

function framePath(frame: Frame): string {
  const keys: (string | number)[] = []
  for (let f = frame; f.parent !== undefined; f = f.parent) keys.unshift(f.key)
  return pointer(...keys)
}

/** The first container nested deeper than MAX_CONFIG_DEPTH, as a JSON Pointer, or undefined. */
function tooDeep(doc: unknown): string | undefined {
  // Iterative: a 100 000-level document must not overflow the stack of the checker itself.
  const stack: Frame[] = [{ value: doc, depth: 0, key: '', parent: undefined }]
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const { value, depth } = frame
    if (typeof value !== 'object' || value === null) continue
    if (depth >= MAX_CONFIG_DEPTH) return framePath(frame)
    const entries = Array.isArray(value) ? value.entries() : Object.entries(value)
    for (const [key, child] of entries)
      stack.push({ value: child, depth: depth + 1, key, parent: frame })
  }
  return undefined
}

function makeValidator<T>(schema: Schema, semantic: (doc: T) => ConfigIssue[]) {
  // Short-circuiting is ~3× faster on valid documents (the load path); the full pass runs only
  // on a refused document, to list every issue.
  let quick: Validator | undefined
  let full: Validator | undefined
  // The guard holds because schema.ts and types.ts are kept in step (test/config/schema.test.ts).
  const conforms = (_doc: unknown, result: ValidationResult): _doc is T => result.valid
  return (doc: unknown): ConfigResult<T> => {
    const deep = tooDeep(doc)
    if (deep !== undefined) {
      return err([{ path: deep, message: `nested deeper than ${MAX_CONFIG_DEPTH} levels` }])
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      return err([{ path: '', message: 'document must be a JSON object' }])
    }
    // A future (or garbled) schemaVersion gets one clear issue, not a list of unknown fields.
    const version: unknown = 'schemaVersion' in doc ? doc.schemaVersion : undefined
    if (version !== undefined && version !== CONFIG_SCHEMA_VERSION) {
      return err([{ path: '/schemaVersion', message: unsupportedVersionMessage(version) }])
    }
    quick ??= new Validator(schema, '2020-12', true)
    let result: ValidationResult
    try {
      result = quick.validate(doc)
      if (!result.valid) {
        full ??= new Validator(schema, '2020-12', false)
        result = full.validate(doc)
      }
    } catch {
      // Only values JSON cannot hold (undefined, functions, bigint) make the validator throw.
      return err([{ path: '', message: 'document contains values that are not JSON' }])
    }
    if (!conforms(doc, result)) return err(capIssues(schemaIssues(result.errors, schema, doc)))
    const issues = semantic(doc)
    return issues.length === 0 ? ok(doc) : err(capIssues(issues))
  }
}

/** Validates an API definition (KV `api/{apiId}`). */
export const validateApiConfig: (doc: unknown) => ConfigResult<ApiConfig> = makeValidator(
  API_CONFIG_SCHEMA,
  (api: ApiConfig) => apiSemanticIssues(api)
)

/** Validates a deployment (KV `deployment/{apiId}/{deploymentId}`), its API snapshot included. */
export const validateDeploymentConfig: (doc: unknown) => ConfigResult<DeploymentConfig> =
  makeValidator(DEPLOYMENT_CONFIG_SCHEMA, (d: DeploymentConfig) => [
    ...(d.api.id === d.apiId
      ? []
      : [{ path: '/api/id', message: `must equal the deployment's apiId (${d.apiId})` }]),
    ...apiSemanticIssues(d.api, '/api'),
  ])

/**
 * The edge's load-time check of a deployment: the same, minus problems confined to one route,
 * which the edge turns into a 500 on that route (see `SemanticOptions`).
 */
export const validateDeploymentForEdge: (doc: unknown) => ConfigResult<DeploymentConfig> =
  makeValidator(DEPLOYMENT_CONFIG_SCHEMA, (d: DeploymentConfig) => [
    ...(d.api.id === d.apiId
      ? []
      : [{ path: '/api/id', message: `must equal the deployment's apiId (${d.apiId})` }]),
    ...apiSemanticIssues(d.api, '/api', { routeLevel: false }),
  ])

/** Validates a stage (KV `stage/{apiId}/{stageName}`). */
export const validateStageConfig: (doc: unknown) => ConfigResult<StageConfig> = makeValidator(
  STAGE_CONFIG_SCHEMA,
  (s: StageConfig) =>
    // AWS: a canary splits traffic of a deployed stage; without a deployment there is nothing
    // to split from.
    s.canarySettings !== undefined && s.deploymentId === undefined
      ? [{ path: '/deploymentId', message: 'is required when canarySettings is set' }]
      : []
)

/** Validates a custom domain name with its API mappings (KV `domain/{domainName}`). */
export const validateDomainNameConfig: (doc: unknown) => ConfigResult<DomainNameConfig> =
  makeValidator(DOMAIN_NAME_CONFIG_SCHEMA, domainSemanticIssues)

const VALIDATORS: { [K in ConfigKind]: (doc: unknown) => ConfigResult<ConfigDocuments[K]> } = {
  api: validateApiConfig,
  deployment: validateDeploymentConfig,
  stage: validateStageConfig,
  domain: validateDomainNameConfig,
}

/** The edge's load-time table: a deployment's route-level problems do not refuse it. */
const EDGE_VALIDATORS: typeof VALIDATORS = { ...VALIDATORS, deployment: validateDeploymentForEdge }

/** Validates an already-parsed document of the given kind. */
export function validateConfig<K extends ConfigKind>(
  kind: K,
  doc: unknown
): ConfigResult<ConfigDocuments[K]> {
  return VALIDATORS[kind](doc)
}

export interface ParseOptions {
  /** The edge's load-time check: deployments use `validateDeploymentForEdge`. */
  edge?: boolean
}

/**
 * Parses and validates document text as read from KV or an admin request body. Over
 * MAX_CONFIG_BYTES, empty, truncated or otherwise invalid JSON are issues, never exceptions.
 */
export function parseConfigText<K extends ConfigKind>(
  text: string,
  kind: K,
  options: ParseOptions = {}
): ConfigResult<ConfigDocuments[K]> {
  // Each UTF-16 unit is at least one UTF-8 byte: the cheap test first, then the exact one.
  if (
    text.length > MAX_CONFIG_BYTES ||
    new TextEncoder().encode(text).byteLength > MAX_CONFIG_BYTES
  ) {
    return err([{ path: '', message: `document is larger than ${MAX_CONFIG_BYTES} bytes` }])
  }
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text
  if (body.trim() === '') return err([{ path: '', message: 'document is empty' }])
  let doc: unknown
  try {
    doc = JSON.parse(body)
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e)
    const truncated = /end of (JSON|data)|Unterminated/i.test(detail)
    return err([
      {
        path: '',
        message: truncated
          ? `document is truncated (half-written?): ${detail}`
          : `document is not valid JSON: ${detail}`,
      },
    ])
  }
  return (options.edge === true ? EDGE_VALIDATORS : VALIDATORS)[kind](doc)
}

/** One line for logs and load errors: `{kind} document is invalid: path: message; …` (≤ 5). */
export function describeIssues(kind: ConfigKind, issues: readonly ConfigIssue[]): string {
  const listed = issues.slice(0, 5).map((i) => `${i.path || '/'}: ${i.message}`)
  return `${kind} document is invalid: ${listed.join('; ')}`
}
