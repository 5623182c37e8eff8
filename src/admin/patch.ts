/**
 * AWS patch operations (`{"patchOperations": [{op, path, value, from}]}`), the input of every
 * apigateway v1 Update* call. Paths are JSON Pointer-like: `~1` stands for `/`, `~0` for `~`.
 */
import { badRequest } from './errors'
import { isRecord, type JsonObject } from './input'

export type PatchOp = 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test'

export interface PatchOperation {
  op: PatchOp
  path: string
  value?: string
  from?: string
}

const OPS: readonly PatchOp[] = ['add', 'remove', 'replace', 'move', 'copy', 'test']

/** Reads and type-checks `patchOperations` (absent = no change). */
export function parsePatchOperations(body: JsonObject): PatchOperation[] {
  const raw = body.patchOperations
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) return badRequest("'patchOperations' must be a list")
  return raw.map((entry: unknown, i) => {
    if (!isRecord(entry)) return badRequest(`'patchOperations[${String(i)}]' must be an object`)
    const { op, path, value, from } = entry
    const known = OPS.find((o) => o === op)
    if (known === undefined) {
      return badRequest(`'patchOperations[${String(i)}].op' must be one of ${OPS.join(', ')}`)
    }
    if (typeof path !== 'string' || !path.startsWith('/')) {
      return badRequest(`'patchOperations[${String(i)}].path' must be a path starting with '/'`)
    }
    const out: PatchOperation = { op: known, path }
    if (value !== undefined && value !== null) {
      if (typeof value !== 'string') {
        return badRequest(`'patchOperations[${String(i)}].value' must be a string`)
      }
      out.value = value
    }
    if (from !== undefined && from !== null) {
      if (typeof from !== 'string') {
        return badRequest(`'patchOperations[${String(i)}].from' must be a string`)
      }
      out.from = from
    }
    return out
  })
}

/** Splits a patch path into unescaped segments: `/~1pets/GET/x` → `['/pets', 'GET', 'x']`. */
export function pathSegments(path: string): string[] {
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/** The operation's value, or a 400 naming the path when it is missing. */
export function requireValue(op: PatchOperation): string {
  if (op.value === undefined) return badRequest(`Patch operation on '${op.path}' requires a value`)
  return op.value
}

export function invalidPatch(op: PatchOperation): never {
  return badRequest(`Invalid patch path '${op.path}' for operation '${op.op}'`)
}
