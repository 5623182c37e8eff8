/**
 * OpenAPI 3.0 / Swagger 2.0 with API Gateway extensions → ApiConfig (AWS ImportRestApi /
 * apigatewayv2 ImportApi). Pure: the caller stores the result. What Portico cannot act on yet is
 * a warning naming its JSON Pointer and is kept for export; what it cannot represent is an error.
 * `failOnWarnings` (AWS `failonwarnings`) turns warnings into errors. See docs/openapi.md.
 */
import type { ApiConfig } from '../config/types'
import { MAX_IMPORT_WARNINGS } from '../config/limits'
import type { Result } from '../result'
import { err, ok } from '../result'
import { Diagnostics } from './diagnostics'
import { warnExtensions } from './extensions'
import { importAccess } from './import-access'
import { importAuthorizers } from './import-authorizers'
import { importDocument } from './import-document'
import { importModels } from './import-models'
import { importPaths } from './import-paths'
import { findIntrinsics } from './intrinsics'
import type { JsonObject } from './json'
import { isRecord, omit, pointer } from './json'
import { parseDocumentText } from './parse-document'
import { basePathPrefix } from './base-path'
import type { ImportError, ImportOptions, ImportResult, OpenApiExtras } from './types'

export type { ImportError, ImportOptions, ImportResult, OpenApiExtras } from './types'

export function importOpenApi(
  input: string | Uint8Array,
  options: ImportOptions
): Result<ImportResult, ImportError[]> {
  const parsed = parseDocumentText(input)
  if (!parsed.ok) return parsed
  const doc = parsed.value
  if (!isRecord(doc)) {
    return err([
      { path: '', message: 'The document must be an OpenAPI object, not ' + describe(doc) },
    ])
  }
  const version = detectVersion(doc)
  if (!version.ok) return version
  const intrinsics = findIntrinsics(doc)
  if (intrinsics.length > 0) return err(intrinsics)
  if (!isRecord(doc.paths)) {
    return err([{ path: '/paths', message: 'The document has no paths object' }])
  }

  const d = new Diagnostics()
  const { fields, extras } = importDocument(doc, version.value, d)
  const components = isRecord(extras.components) ? extras.components : {}
  const schemes = isRecord(components.securitySchemes) ? components.securitySchemes : {}
  const swagger = version.value === 2
  const { authorizers, idByScheme } = importAuthorizers(
    schemes,
    swagger ? '/securityDefinitions' : '/components/securitySchemes',
    d
  )
  const rest = options.protocolType === 'REST'
  const access = importAccess(extras, rest, d)
  const models = rest
    ? importModels(components.schemas, swagger ? '/definitions' : '/components/schemas', d)
    : undefined
  const prefix = basePathPrefix(doc, version.value, options.basepath ?? 'ignore', d)
  const { routes, integrations } = importPaths(
    doc.paths,
    {
      protocolType: options.protocolType,
      version: version.value,
      doc,
      prefix,
      schemes,
      authorizerIds: idByScheme,
      ...(access.validators === undefined ? {} : { validators: access.validators }),
      ...(models === undefined ? {} : { models: models.registry }),
      newId: options.newId,
    },
    d
  )
  // What became config is no longer kept verbatim: export writes it back from the config.
  const modelNames = models?.registry.models.map((m) => m.name) ?? []
  keepUnconsumed(extras, [...idByScheme.keys()], models?.rest)
  // Gateway responses kept in extras were already reported entry by entry. Swagger 2 containers
  // are reported where they are in the document, not where the 3.0 conversion put them.
  const swagger2 = ['securityDefinitions', 'definitions', 'parameters', 'responses']
  const scanned = omit(extras, ['x-amazon-apigateway-gateway-responses'])
  if (version.value === 2) {
    warnExtensions(omit(scanned, ['components']), '', d)
    const consumed: Record<string, string[]> = {
      securityDefinitions: [...idByScheme.keys()],
      definitions: modelNames,
    }
    for (const key of swagger2) {
      const value = doc[key]
      warnExtensions(isRecord(value) ? omit(value, consumed[key] ?? []) : value, pointer(key), d)
    }
  } else warnExtensions(scanned, '', d)

  if (options.failOnWarnings === true) d.errors.push(...d.warnings)
  if (d.errors.length > 0) return err(d.errors)
  const warnings = d.warningStrings()
  const api: ApiConfig = {
    schemaVersion: 1,
    id: options.apiId,
    protocolType: options.protocolType,
    createdDate: options.createdDate,
    ...fields,
    ...access.fields,
    ...(authorizers.length > 0 ? { authorizers } : {}),
    ...(models !== undefined && models.registry.models.length > 0
      ? { models: models.registry.models }
      : {}),
    ...(options.protocolType === 'HTTP'
      ? { routeSelectionExpression: '$request.method $request.path' }
      : {}),
    routes,
    integrations,
  }
  if (warnings.length > 0) api.importWarnings = capWarnings(warnings)
  return ok({ api, warnings, extras })
}

/** Drops the imported security schemes and model schemas from `extras.components`. */
function keepUnconsumed(
  extras: OpenApiExtras,
  schemeNames: string[],
  otherSchemas: JsonObject | undefined
): void {
  if (!isRecord(extras.components)) return
  const components: JsonObject = { ...extras.components }
  if (isRecord(components.securitySchemes)) {
    const left = omit(components.securitySchemes, schemeNames)
    if (Object.keys(left).length > 0) components.securitySchemes = left
    else delete components.securitySchemes
  }
  if (otherSchemas !== undefined) {
    if (Object.keys(otherSchemas).length > 0) components.schemas = otherSchemas
    else delete components.schemas
  }
  if (Object.keys(components).length > 0) extras.components = components
  else delete extras.components
}

function detectVersion(doc: JsonObject): Result<2 | 3, ImportError[]> {
  // YAML reads `swagger: 2.0` as the number 2.
  if (doc.swagger === '2.0' || doc.swagger === 2) return ok(2)
  const v = typeof doc.openapi === 'number' ? doc.openapi.toFixed(1) : doc.openapi
  if (typeof v === 'string' && /^3\.0(\.\d+)?$/.test(v)) return ok(3)
  if (typeof v === 'string' && v.startsWith('3.')) {
    return err([
      {
        path: '/openapi',
        message: `OpenAPI ${v} is not supported: API Gateway imports OpenAPI 2.0 (Swagger) and 3.0.x`,
      },
    ])
  }
  if (doc.swagger !== undefined)
    return err([{ path: '/swagger', message: 'swagger must be "2.0"' }])
  if (doc.openapi !== undefined)
    return err([{ path: '/openapi', message: 'openapi must be a 3.0.x version' }])
  return err([
    { path: '', message: 'Not an OpenAPI document: no openapi (3.0.x) or swagger (2.0) field' },
  ])
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array'
  return value === null ? 'null' : `a ${typeof value}`
}

function capWarnings(warnings: string[]): string[] {
  if (warnings.length <= MAX_IMPORT_WARNINGS) return warnings
  const kept = warnings.slice(0, MAX_IMPORT_WARNINGS - 1)
  kept.push(`… and ${String(warnings.length - kept.length)} more warnings`)
  return kept
}
