/**
 * First pass over the parsed document: bounds nesting depth (later passes recurse) and finds
 * CloudFormation intrinsic functions. AWS's importer never sees them: CloudFormation resolves
 * `Fn::Sub`, `Fn::GetAtt`, `Ref` … in a `Body`/`DefinitionBody` before calling ImportRestApi.
 * An intrinsic is always a one-key object (`{"Fn::Sub": …}`, `{"Ref": "X"}`), which keeps a
 * schema property that happens to be called `Ref` from being mistaken for one.
 */
import { child, isRecord } from './json'
import type { ImportError } from './types'

/** Deeper than any real API definition; keeps the recursive passes far from the stack limit. */
export const MAX_DOCUMENT_DEPTH = 64
const MAX_REPORTED = 50

/** Returns one error per intrinsic (capped) or per too-deep branch; empty when clean. */
export function findIntrinsics(doc: unknown): ImportError[] {
  const out: ImportError[] = []
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: doc, path: '', depth: 0 },
  ]
  while (stack.length > 0 && out.length < MAX_REPORTED) {
    const item = stack.pop()
    if (item === undefined) break
    const { value, path, depth } = item
    if (depth > MAX_DOCUMENT_DEPTH) {
      out.push({
        path,
        message: `The document nests deeper than ${String(MAX_DOCUMENT_DEPTH)} levels`,
      })
      continue
    }
    if (Array.isArray(value)) {
      value.forEach((v: unknown, i) =>
        stack.push({ value: v, path: child(path, i), depth: depth + 1 })
      )
      continue
    }
    if (!isRecord(value)) continue
    const keys = Object.keys(value)
    const only = keys.length === 1 ? keys[0] : undefined
    if (only !== undefined && (only === 'Ref' || only.startsWith('Fn::'))) {
      out.push({
        path,
        message:
          `CloudFormation intrinsic function ${only} must be resolved before import ` +
          '(deploy through CloudFormation/SAM, or import the processed template that ' +
          '`aws cloudformation package` or `sam validate` produces)',
      })
      continue
    }
    for (const key of keys)
      stack.push({ value: value[key], path: child(path, key), depth: depth + 1 })
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}
