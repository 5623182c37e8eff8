/**
 * How ImportRestApi/PutRestApi (v1) and ImportApi/ReimportApi (v2) report what the OpenAPI
 * importer refused: one 400 naming each JSON path, and (AWS `failonwarnings`) one 400 listing the
 * warnings when any warning aborts the import.
 */
import type { ImportError, ImportResult } from '../openapi/import'
import type { Result } from '../result'
import { badRequest } from './errors'

/** The import's value, or a 400 for its errors (and for any warning when `failOnWarnings`). */
export function importedOrThrow(
  result: Result<ImportResult, ImportError[]>,
  failOnWarnings: boolean
): ImportResult {
  if (!result.ok) {
    const list = result.error.map((e) => `${e.path === '' ? '/' : e.path}: ${e.message}`)
    return badRequest(`Errors found during import: ${list.join('; ')}`)
  }
  // AWS failonwarnings: any warning aborts the import (the importer may already have refused).
  if (failOnWarnings && result.value.warnings.length > 0) {
    return badRequest(`Warnings found during import: ${result.value.warnings.join('; ')}`)
  }
  return result.value
}
