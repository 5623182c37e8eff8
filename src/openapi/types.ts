/**
 * Public shapes of the OpenAPI import/export module. The admin API calls `importOpenApi` for
 * `POST /restapis?mode=import`, `PUT /restapis/{id}`, `PUT /v2/apis[/{id}]` and `exportOpenApi`
 * for the `exports/oas30` endpoints. docs/openapi.md describes the mapping.
 */
import type { ApiConfig, StageConfig } from '../config/types'

/** A problem in the imported document: JSON Pointer (RFC 6901) into it + what is wrong. */
export interface ImportError {
  path: string
  message: string
}

export interface ImportOptions {
  protocolType: 'REST' | 'HTTP'
  /** AWS `failonwarnings`: any warning fails the import (warnings are returned as errors). */
  failOnWarnings?: boolean
  /** AWS `basepath` (REST import, HTTP import): how the document's base path is applied. */
  basepath?: 'ignore' | 'prepend' | 'split'
  apiId: string
  createdDate: string
  /** Generates route and integration ids. */
  newId: () => string
}

/**
 * Top-level document fields Portico does not act on (security schemes without an authorizer,
 * schemas that are not models, documentation, user `x-*` extensions …), already in OpenAPI 3.0
 * shape. Kept so that export gives them back. Authorizers, models, validators, CORS and the
 * resource policy become config and are written back from it.
 */
export type OpenApiExtras = Record<string, unknown>

export interface ImportResult {
  api: ApiConfig
  /** `path: message` strings, also stored in `api.importWarnings` (capped). */
  warnings: string[]
  extras: OpenApiExtras
}

export interface ExportOptions {
  stage?: StageConfig & { invokeUrl?: string }
  /** AWS `extensions` / `exportType`: false gives plain OpenAPI, without any `x-` extension. */
  extensions: boolean
  /** What `importOpenApi` returned as `extras`, to give back models, schemes, validators … */
  extras?: OpenApiExtras
}
