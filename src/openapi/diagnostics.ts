/**
 * Collects errors and warnings while an import walks the document. Warnings are kept as
 * `path: message` strings because that is how the admin API hands them out (AWS `warnings`).
 */
import type { ImportError } from './types'

export class Diagnostics {
  readonly errors: ImportError[] = []
  readonly warnings: ImportError[] = []

  error(path: string, message: string): void {
    this.errors.push({ path, message })
  }

  warn(path: string, message: string): void {
    this.warnings.push({ path, message })
  }

  /** Warnings as the strings stored in `ApiConfig.importWarnings`. */
  warningStrings(): string[] {
    return this.warnings.map((w) => `${w.path || '/'}: ${w.message}`)
  }
}
