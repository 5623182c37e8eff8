/**
 * Value expressions of AWS HTTP API parameter mapping: `$request.header.name`,
 * `${request.querystring.q}`, `$request.body.a.b`, `$context.requestId`, `$stageVariables.v`,
 * `$response.header.h`, static text and mixes (`Bearer ${request.header.token}`). Compiled once;
 * stage variables are substituted at compile time since they are fixed per stage.
 */
import type { RequestContext } from '../pipeline/types'
import { err, ok, type Result } from '../result'
import { isKnownContextVariable, resolveContextVariable } from './context-variables'

type BodyPath = readonly (string | number)[]

/** One reference inside an expression. */
export type ExpressionRef =
  | { source: 'header' | 'querystring' | 'multivaluequerystring' | 'pathParameter'; name: string }
  | { source: 'path' }
  | { source: 'body' | 'responseBody'; path: BodyPath }
  | { source: 'context'; name: string }
  | { source: 'responseHeader'; name: string }

type Part = { kind: 'text'; text: string } | { kind: 'ref'; ref: ExpressionRef }

/** A compiled value expression. */
export interface CompiledExpression {
  readonly parts: readonly Part[]
  readonly usesRequestBody: boolean
  readonly usesResponseBody: boolean
}

/** A body as mapping sees it: raw text plus its JSON value when it parsed. */
export interface MappedBody {
  readonly text: string
  readonly json: unknown
}

/** What expressions read from at request (or response) time. */
export interface ExpressionSources {
  readonly ctx: RequestContext
  readonly requestBody?: MappedBody
  readonly response?: { readonly headers: Headers; readonly body?: MappedBody }
}

function parseBodyPath(text: string): Result<BodyPath, string> {
  const path: (string | number)[] = []
  for (const segment of text.split('.')) {
    const match = /^([A-Za-z0-9_$-]*)((?:\[\d+\])*)$/.exec(segment)
    if (!match || (match[1] === '' && match[2] === '')) {
      return err(`unsupported JSON path segment "${segment}" (simple dotted paths only)`)
    }
    if (match[1] !== '') path.push(match[1] ?? '')
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]))
  }
  return ok(path)
}

function parseRef(
  name: string,
  phase: 'request' | 'response',
  stageVariables: Readonly<Record<string, string>>
): Result<ExpressionRef | string, string> {
  const dot = (prefix: string): string | undefined =>
    name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : undefined
  const stage = dot('stageVariables.')
  if (stage !== undefined) {
    const value = Object.hasOwn(stageVariables, stage) ? stageVariables[stage] : undefined
    return value === undefined ? err(`stage variable ${stage} is not defined`) : ok(value)
  }
  const context = dot('context.')
  if (context !== undefined) {
    if (!isKnownContextVariable(context)) return err(`unknown context variable $context.${context}`)
    return ok({ source: 'context', name: context })
  }
  if (phase === 'response') {
    const header = dot('response.header.')
    if (header !== undefined) return ok({ source: 'responseHeader', name: header.toLowerCase() })
    if (name === 'response.body') return ok({ source: 'responseBody', path: [] })
    const body = dot('response.body.')
    if (body === undefined) return err(`$${name} cannot be used in a response mapping`)
    const path = parseBodyPath(body)
    return path.ok ? ok({ source: 'responseBody', path: path.value }) : path
  }
  const header = dot('request.header.')
  if (header !== undefined) return ok({ source: 'header', name: header.toLowerCase() })
  const query = dot('request.querystring.')
  if (query !== undefined) return ok({ source: 'querystring', name: query })
  const multi = dot('request.multivaluequerystring.')
  if (multi !== undefined) return ok({ source: 'multivaluequerystring', name: multi })
  if (name === 'request.path') return ok({ source: 'path' })
  const param = dot('request.path.')
  if (param !== undefined) return ok({ source: 'pathParameter', name: param })
  if (name === 'request.body') return ok({ source: 'body', path: [] })
  const body = dot('request.body.')
  if (body === undefined) return err(`unsupported mapping value $${name}`)
  const path = parseBodyPath(body)
  return path.ok ? ok({ source: 'body', path: path.value }) : path
}

const ROOTS = /^(request|response|context|stageVariables)\./
const BARE = /^\$([A-Za-z][A-Za-z0-9_.[\]-]*)/

/** Compiles an expression for the request or the response phase. */
export function compileExpression(
  text: string,
  phase: 'request' | 'response',
  stageVariables: Readonly<Record<string, string>>
): Result<CompiledExpression, string> {
  const parts: Part[] = []
  const pushText = (t: string): void => {
    const last = parts[parts.length - 1]
    if (last?.kind === 'text') parts[parts.length - 1] = { kind: 'text', text: last.text + t }
    else if (t !== '') parts.push({ kind: 'text', text: t })
  }
  let i = 0
  while (i < text.length) {
    const dollar = text.indexOf('$', i)
    if (dollar === -1) {
      pushText(text.slice(i))
      break
    }
    pushText(text.slice(i, dollar))
    let name: string | undefined
    let end = dollar + 1
    if (text[dollar + 1] === '{') {
      const close = text.indexOf('}', dollar)
      if (close === -1) return err(`unterminated \${ in "${text}"`)
      name = text.slice(dollar + 2, close)
      end = close + 1
    } else {
      const bare = BARE.exec(text.slice(dollar))?.[1]?.replace(/\.+$/, '')
      if (bare !== undefined && ROOTS.test(bare)) {
        name = bare
        end = dollar + 1 + bare.length
      }
    }
    if (name === undefined) {
      pushText('$') // a lone `$` is literal text (e.g. a price)
      i = dollar + 1
      continue
    }
    const ref = parseRef(name, phase, stageVariables)
    if (!ref.ok) return ref
    if (typeof ref.value === 'string') pushText(ref.value)
    else parts.push({ kind: 'ref', ref: ref.value })
    i = end
  }
  const refs = parts.flatMap((p) => (p.kind === 'ref' ? [p.ref] : []))
  return ok({
    parts,
    usesRequestBody: refs.some((r) => r.source === 'body'),
    usesResponseBody: refs.some((r) => r.source === 'responseBody'),
  })
}

/** One step into parsed JSON: an array index or an own property, else undefined. */
function child(node: unknown, key: string | number): unknown {
  if (typeof key === 'number') return Array.isArray(node) ? Reflect.get(node, key) : undefined
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined
  return Object.hasOwn(node, key) ? Reflect.get(node, key) : undefined
}

function selectJson(body: MappedBody | undefined, path: BodyPath): string | undefined {
  if (body === undefined) return undefined
  if (path.length === 0) return body.text
  let node: unknown = body.json
  for (const key of path) {
    node = child(node, key)
    if (node === undefined) return undefined
  }
  if (node === null || node === undefined) return undefined
  return typeof node === 'string' ? node : JSON.stringify(node)
}

function resolveRef(ref: ExpressionRef, sources: ExpressionSources): string | undefined {
  const { ctx } = sources
  switch (ref.source) {
    case 'header':
      return ctx.request.headers.get(ref.name) ?? undefined
    case 'querystring':
    case 'multivaluequerystring': {
      // AWS: multiple values are combined with commas.
      const values = ctx.query.getAll(ref.name)
      return values.length === 0 ? undefined : values.join(',')
    }
    case 'pathParameter':
      return Object.hasOwn(ctx.pathParameters, ref.name) ? ctx.pathParameters[ref.name] : undefined
    case 'path':
      return ctx.path
    case 'body':
      return selectJson(sources.requestBody, ref.path)
    case 'context':
      return resolveContextVariable(ctx, ref.name)
    case 'responseHeader':
      return sources.response?.headers.get(ref.name) ?? undefined
    case 'responseBody':
      return selectJson(sources.response?.body, ref.path)
  }
}

/**
 * Evaluates an expression. Undefined when any reference has no value: a half-built value
 * (`Bearer ` without its token) is never sent. `encode` is applied to referenced values only.
 */
export function evaluateExpression(
  expression: CompiledExpression,
  sources: ExpressionSources,
  encode: (value: string) => string = (v) => v
): string | undefined {
  let out = ''
  for (const part of expression.parts) {
    if (part.kind === 'text') {
      out += part.text
      continue
    }
    const value = resolveRef(part.ref, sources)
    if (value === undefined) return undefined
    out += encode(value)
  }
  return out
}

/** `$request.multivaluequerystring.q` alone yields each value; anything else one value. */
export function evaluateValues(
  expression: CompiledExpression,
  sources: ExpressionSources
): string[] | undefined {
  const only = expression.parts.length === 1 ? expression.parts[0] : undefined
  if (only?.kind === 'ref' && only.ref.source === 'multivaluequerystring') {
    const values = sources.ctx.query.getAll(only.ref.name)
    return values.length === 0 ? undefined : values
  }
  const value = evaluateExpression(expression, sources)
  return value === undefined ? undefined : [value]
}
