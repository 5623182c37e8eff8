/**
 * Document-level access control extensions → ApiConfig: `x-amazon-apigateway-request-validators`
 * (+ the document's default `x-amazon-apigateway-request-validator`), `x-amazon-apigateway-cors`
 * and `x-amazon-apigateway-policy` (IP conditions only, iam-policy.ts). Each consumed key is
 * removed from `extras`; export writes it back from the config.
 */
import type { ApiConfig, CorsConfig, RequestValidatorConfig } from '../config/types'
import type { Diagnostics } from './diagnostics'
import { importIamPolicy } from './iam-policy'
import { child, isRecord, isStringArray, pointer } from './json'
import { stableId } from './stable-id'
import type { OpenApiExtras } from './types'

export const VALIDATORS_EXTENSION = 'x-amazon-apigateway-request-validators'
export const VALIDATOR_EXTENSION = 'x-amazon-apigateway-request-validator'
export const CORS_EXTENSION = 'x-amazon-apigateway-cors'
export const POLICY_EXTENSION = 'x-amazon-apigateway-policy'

export type AccessFields = Pick<
  ApiConfig,
  'requestValidators' | 'corsConfiguration' | 'resourcePolicy'
>

/** Validators by name, and the document's default (applies to operations without their own). */
export interface ValidatorLookup {
  idByName: Map<string, string>
  defaultId: string | undefined
}

function importValidators(
  extras: OpenApiExtras,
  fields: AccessFields,
  d: Diagnostics
): ValidatorLookup {
  const idByName = new Map<string, string>()
  const raw = extras[VALIDATORS_EXTENSION]
  const base = pointer(VALIDATORS_EXTENSION)
  if (raw !== undefined && !isRecord(raw))
    d.error(base, 'Must be an object keyed by validator name')
  const validators: RequestValidatorConfig[] = []
  for (const [name, v] of Object.entries(isRecord(raw) ? raw : {})) {
    const at = child(base, name)
    if (!isRecord(v)) {
      d.error(at, 'A request validator must be an object')
      continue
    }
    const validator: RequestValidatorConfig = {
      id: stableId(name, new Set(idByName.values())),
      name,
    }
    for (const flag of ['validateRequestBody', 'validateRequestParameters'] as const) {
      const value = v[flag]
      if (typeof value === 'boolean') validator[flag] = value
      else if (value !== undefined) d.error(child(at, flag), `${flag} must be true or false`)
    }
    for (const key of Object.keys(v)) {
      if (key !== 'validateRequestBody' && key !== 'validateRequestParameters')
        d.error(child(at, key), `Unknown request validator field ${key}`)
    }
    idByName.set(name, validator.id)
    validators.push(validator)
  }
  if (validators.length > 0) fields.requestValidators = validators
  Reflect.deleteProperty(extras, VALIDATORS_EXTENSION)
  const lookup: ValidatorLookup = { idByName, defaultId: undefined }
  const chosen = extras[VALIDATOR_EXTENSION]
  if (chosen !== undefined) {
    lookup.defaultId = validatorId(chosen, pointer(VALIDATOR_EXTENSION), lookup, d)
    Reflect.deleteProperty(extras, VALIDATOR_EXTENSION)
  }
  return lookup
}

/** The id of the validator a `x-amazon-apigateway-request-validator` value names. */
export function validatorId(
  value: unknown,
  at: string,
  lookup: ValidatorLookup,
  d: Diagnostics
): string | undefined {
  const id = typeof value === 'string' ? lookup.idByName.get(value) : undefined
  if (id === undefined) {
    d.error(
      at,
      typeof value === 'string'
        ? `Request validator ${value} is not defined in ${VALIDATORS_EXTENSION}`
        : 'Must name a request validator'
    )
  }
  return id
}

const CORS_LISTS = ['allowOrigins', 'allowMethods', 'allowHeaders', 'exposeHeaders'] as const

function importCors(extras: OpenApiExtras, fields: AccessFields, d: Diagnostics): void {
  const raw = extras[CORS_EXTENSION]
  if (raw === undefined) return
  Reflect.deleteProperty(extras, CORS_EXTENSION)
  const base = pointer(CORS_EXTENSION)
  if (!isRecord(raw)) {
    d.error(base, 'Must be an object')
    return
  }
  const cors: CorsConfig = {}
  for (const [key, value] of Object.entries(raw)) {
    const at = child(base, key)
    const list = CORS_LISTS.find((k) => k === key)
    if (list !== undefined) {
      if (isStringArray(value)) cors[list] = value
      else d.error(at, `${key} must be an array of strings`)
    } else if (key === 'maxAge') {
      if (typeof value === 'number' && Number.isInteger(value)) cors.maxAge = value
      else d.error(at, 'maxAge must be an integer (seconds)')
    } else if (key === 'allowCredentials') {
      if (typeof value === 'boolean') cors.allowCredentials = value
      else d.error(at, 'allowCredentials must be true or false')
    } else d.error(at, `Unknown CORS field ${key}`)
  }
  fields.corsConfiguration = cors
}

function importPolicy(extras: OpenApiExtras, fields: AccessFields, d: Diagnostics): void {
  const raw = extras[POLICY_EXTENSION]
  if (raw === undefined) return
  Reflect.deleteProperty(extras, POLICY_EXTENSION)
  const result = importIamPolicy(raw, pointer(POLICY_EXTENSION))
  if (!result.ok) {
    for (const e of result.error) d.error(e.path, e.message)
    return
  }
  for (const w of result.value.warnings) d.warn(w.path, w.message)
  if (result.value.policy !== undefined) fields.resourcePolicy = result.value.policy
}

/**
 * Reads (and removes from `extras`) the document-level access extensions. Request validators
 * are REST's (`rest`); HTTP API imports keep them as unsupported extensions, as AWS ignores them.
 */
export function importAccess(
  extras: OpenApiExtras,
  rest: boolean,
  d: Diagnostics
): { fields: AccessFields; validators: ValidatorLookup | undefined } {
  const fields: AccessFields = {}
  const validators = rest ? importValidators(extras, fields, d) : undefined
  importCors(extras, fields, d)
  importPolicy(extras, fields, d)
  return { fields, validators }
}
