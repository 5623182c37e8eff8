/**
 * Turns the request body of an import into plain JSON data: size cap, UTF-8, JSON or YAML.
 * YAML is parsed with alias expansion bounded (`maxAliasCount`, the "billion laughs" guard) and
 * every explicit local tag refused with its JSON Pointer: `!Sub`, `!Ref`, `!GetAtt` … are
 * CloudFormation shorthand that only `aws cloudformation package` / SAM resolve.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml'
import type { Result } from '../result'
import { err, ok } from '../result'
import { child } from './json'
import type { ImportError } from './types'

/** AWS: an imported OpenAPI definition may be up to 6 MB (REST API quota). */
export const MAX_IMPORT_BYTES = 6 * 1024 * 1024
/** Alias nodes a YAML document may expand; anchors are rare in API definitions. */
export const MAX_YAML_ALIAS_COUNT = 100

const CFN_TAGS = new Set([
  '!Ref',
  '!Sub',
  '!GetAtt',
  '!Join',
  '!Select',
  '!Split',
  '!If',
  '!Equals',
  '!And',
  '!Or',
  '!Not',
  '!FindInMap',
  '!Base64',
  '!Cidr',
  '!ImportValue',
  '!GetAZs',
  '!Condition',
  '!Transform',
])

/** Parses the document text; errors carry the pointer `''` (whole document) or a tag's pointer. */
export function parseDocumentText(input: string | Uint8Array): Result<unknown, ImportError[]> {
  const text = decode(input)
  if (!text.ok) return text
  const trimmed = text.value.replace(/^\uFEFF/, '').trimStart()
  if (trimmed === '') return err([{ path: '', message: 'The document is empty' }])
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return ok(JSON.parse(trimmed) as unknown)
    } catch {
      // Not strict JSON: YAML flow style is a superset, so let the YAML parser report.
    }
  }
  return parseYaml(trimmed)
}

function decode(input: string | Uint8Array): Result<string, ImportError[]> {
  const tooLarge = err([
    { path: '', message: `The document is larger than ${String(MAX_IMPORT_BYTES)} bytes` },
  ])
  if (typeof input === 'string') {
    // A UTF-16 code unit is at least one UTF-8 byte, so the cheap check comes first.
    if (input.length > MAX_IMPORT_BYTES) return tooLarge
    if (
      input.length * 3 > MAX_IMPORT_BYTES &&
      new TextEncoder().encode(input).length > MAX_IMPORT_BYTES
    )
      return tooLarge
    return ok(input)
  }
  if (input.byteLength > MAX_IMPORT_BYTES) return tooLarge
  try {
    return ok(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input))
  } catch {
    return err([{ path: '', message: 'The document is not valid UTF-8' }])
  }
}

function parseYaml(text: string): Result<unknown, ImportError[]> {
  let doc
  try {
    doc = parseDocument(text, { prettyErrors: true })
  } catch (e) {
    return err([{ path: '', message: `The document is neither JSON nor YAML: ${describe(e)}` }])
  }
  const first = doc.errors[0]
  if (first !== undefined) {
    return err([{ path: '', message: `The document is neither JSON nor YAML: ${first.message}` }])
  }
  const tagErrors: ImportError[] = []
  findTags(doc.contents, '', tagErrors, 0)
  if (tagErrors.length > 0) return err(tagErrors)
  try {
    return ok(doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT }) as unknown)
  } catch (e) {
    return err([{ path: '', message: `The YAML document cannot be expanded: ${describe(e)}` }])
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? (e.message.split('\n')[0] ?? e.name) : 'parse failure'
}

/** Walks the YAML syntax tree (aliases are not followed) and reports every local `!tag`. */
function findTags(node: unknown, path: string, out: ImportError[], depth: number): void {
  if (depth > 256 || out.length >= 50) return
  if (isScalar(node) || isMap(node) || isSeq(node)) {
    const tag = node.tag
    if (tag !== undefined && tag.startsWith('!') && !tag.startsWith('!!')) {
      out.push({
        path,
        message: CFN_TAGS.has(tag)
          ? `CloudFormation intrinsic function ${tag} must be resolved before import ` +
            '(deploy through CloudFormation/SAM, or use the processed template that ' +
            '`aws cloudformation package` or `sam validate` produces)'
          : `Unsupported YAML tag ${tag}`,
      })
    }
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
      findTags(pair.key, path, out, depth + 1)
      findTags(pair.value, child(path, key), out, depth + 1)
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      findTags(item, child(path, i), out, depth + 1)
    })
  }
}
