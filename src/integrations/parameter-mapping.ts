/**
 * AWS HTTP API parameter mapping (requestParameters / responseParameters): keys
 * `overwrite|append|remove:header.{name}`, `…:querystring.{name}`, `overwrite:path`, and per
 * status code `overwrite:statuscode`. Compiled at build, where unknown key forms and reserved
 * headers are refused; applied per request, where a mapped header value that is not a valid
 * field value (CR, LF, NUL…) is a 400 BAD_REQUEST_PARAMETERS and nothing is sent upstream.
 */
import { GatewayError } from '../errors/gateway-error'
import { err, ok, type Result } from '../result'
import { isValidHeaderName, isValidHeaderValue } from './headers'
import {
  compileExpression,
  evaluateExpression,
  evaluateValues,
  type CompiledExpression,
  type ExpressionSources,
} from './mapping-expression'
import { encodePathValue } from './uri-template'

type Action = 'overwrite' | 'append' | 'remove'
type Target =
  | { kind: 'header'; name: string }
  | { kind: 'querystring'; name: string }
  | { kind: 'path' }
  | { kind: 'statuscode' }

/** One compiled mapping entry. */
export interface MappingOp {
  readonly key: string
  readonly action: Action
  readonly target: Target
  readonly value: CompiledExpression
}

/** Compiled mapping of one integration (request side, and response side by status). */
export interface CompiledMapping {
  readonly request: readonly MappingOp[]
  /** Status pattern (`200`, `4XX`) → ops. */
  readonly response: ReadonlyMap<string, readonly MappingOp[]>
  readonly usesRequestBody: boolean
  readonly usesResponseBody: boolean
}

/**
 * AWS "Reserved headers" for HTTP API mapping, plus the gateway's own identity and CORS
 * headers and Cloudflare's `cf-*`. `Authorization` is allowed (AWS reserves it; Portico lets a
 * stage variable carry a backend credential — documented deviation).
 */
const RESERVED_EXACT = new Set([
  'connection',
  'content-encoding',
  'content-length',
  'content-location',
  'forwarded',
  'host',
  'keep-alive',
  'origin',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
  'via',
  'x-real-ip',
  'true-client-ip',
])
const RESERVED_PREFIXES = ['access-control-', 'apigw-', 'x-amz-', 'x-amzn-', 'x-forwarded-', 'cf-']

function isReservedHeader(name: string): boolean {
  return RESERVED_EXACT.has(name) || RESERVED_PREFIXES.some((p) => name.startsWith(p))
}

function parseKey(key: string, phase: 'request' | 'response'): Result<[Action, Target], string> {
  if (key === 'overwrite:path' && phase === 'request') return ok(['overwrite', { kind: 'path' }])
  if (key === 'overwrite:statuscode' && phase === 'response') {
    return ok(['overwrite', { kind: 'statuscode' }])
  }
  const match = /^(overwrite|append|remove):(header|querystring)\.(.+)$/.exec(key)
  const action = match?.[1]
  const kind = match?.[2]
  const name = match?.[3] ?? ''
  if (
    (action !== 'overwrite' && action !== 'append' && action !== 'remove') ||
    kind === undefined
  ) {
    return err(`unsupported ${phase} parameter mapping key "${key}"`)
  }
  if (kind === 'querystring') {
    if (phase === 'response') return err(`query strings cannot be mapped in a response ("${key}")`)
    return ok([action, { kind: 'querystring', name }])
  }
  const header = name.toLowerCase()
  if (!isValidHeaderName(header)) return err(`"${name}" is not a valid header name`)
  if (isReservedHeader(header)) return err(`header "${name}" is reserved and cannot be mapped`)
  return ok([action, { kind: 'header', name: header }])
}

function compileOps(
  params: Readonly<Record<string, string>>,
  phase: 'request' | 'response',
  stageVariables: Readonly<Record<string, string>>
): Result<MappingOp[], string> {
  const ops: MappingOp[] = []
  for (const [key, text] of Object.entries(params)) {
    const parsed = parseKey(key, phase)
    if (!parsed.ok) return parsed
    const [action, target] = parsed.value
    const value = compileExpression(action === 'remove' ? '' : text, phase, stageVariables)
    if (!value.ok) return err(`${key}: ${value.error}`)
    if (target.kind === 'statuscode' && value.value.parts.every((p) => p.kind === 'text')) {
      const literal = value.value.parts.map((p) => p.text).join('')
      if (parseStatus(literal) === undefined) return err(`${key}: "${literal}" is not a status`)
    }
    ops.push({ key, action, target, value: value.value })
  }
  return ok(ops)
}

/** Compiles an integration's request and response parameter maps. */
export function compileMapping(
  requestParameters: Readonly<Record<string, string>> | undefined,
  responseParameters: Readonly<Record<string, Readonly<Record<string, string>>>> | undefined,
  stageVariables: Readonly<Record<string, string>>
): Result<CompiledMapping, string> {
  const request = compileOps(requestParameters ?? {}, 'request', stageVariables)
  if (!request.ok) return request
  const response = new Map<string, MappingOp[]>()
  for (const [pattern, params] of Object.entries(responseParameters ?? {})) {
    if (!/^[1-5](\d\d|XX)$/.test(pattern)) return err(`"${pattern}" is not a status code pattern`)
    const ops = compileOps(params, 'response', stageVariables)
    if (!ops.ok) return ops
    response.set(pattern, ops.value)
  }
  const all = [...request.value, ...[...response.values()].flat()]
  return ok({
    request: request.value,
    response,
    usesRequestBody: all.some((op) => op.value.usesRequestBody),
    usesResponseBody: all.some((op) => op.value.usesResponseBody),
  })
}

/** An integer status the Response constructor accepts (200–599), else undefined. */
export function parseStatus(text: string): number | undefined {
  if (!/^\d{3}$/.test(text)) return undefined
  const status = Number(text)
  return status >= 200 && status <= 599 ? status : undefined
}

/** The request being built for the upstream, mutated by request mapping. */
export interface UpstreamDraft {
  readonly headers: Headers
  readonly query: URLSearchParams
  path: string
}

function applyHeader(headers: Headers, op: MappingOp, name: string, value: string | undefined) {
  if (op.action === 'remove') headers.delete(name)
  else if (value === undefined) return
  else if (op.action === 'overwrite') headers.set(name, value)
  else headers.append(name, value)
}

function hasDotSegment(path: string): boolean {
  return path.split('/').some((s) => /^(\.|%2e){1,2}$/i.test(s))
}

/** Applies request mapping; throws BAD_REQUEST_PARAMETERS on a value that cannot be sent. */
export function applyRequestMapping(
  ops: readonly MappingOp[],
  draft: UpstreamDraft,
  sources: ExpressionSources
): void {
  for (const op of ops) {
    const target = op.target
    if (target.kind === 'header') {
      const value = op.action === 'remove' ? undefined : evaluateExpression(op.value, sources)
      if (value !== undefined && !isValidHeaderValue(value)) {
        throw new GatewayError('BAD_REQUEST_PARAMETERS', {
          reason: `mapped value for ${op.key} is not a valid header value`,
        })
      }
      applyHeader(draft.headers, op, target.name, value)
    } else if (target.kind === 'querystring') {
      if (op.action === 'remove') draft.query.delete(target.name)
      const values = op.action === 'remove' ? undefined : evaluateValues(op.value, sources)
      if (values === undefined) continue
      if (op.action === 'overwrite') draft.query.delete(target.name)
      for (const v of values) draft.query.append(target.name, v)
    } else if (target.kind === 'path') {
      const state = { bad: false }
      const value = evaluateExpression(op.value, sources, (raw) => {
        const encoded = encodePathValue(raw, true)
        state.bad ||= !encoded.ok
        return encoded.ok ? encoded.value : ''
      })
      if (value === undefined) continue
      const path = value.startsWith('/') ? value : `/${value}`
      if (state.bad || hasDotSegment(path) || !/^\/[^?#\s\\]*$/.test(path)) {
        throw new GatewayError('BAD_REQUEST_PARAMETERS', {
          reason: `mapped value for ${op.key} is not a safe path`,
        })
      }
      draft.path = path
    }
  }
}

/** The response ops for an upstream status: exact code first, then its class (`4XX`). */
export function responseOpsFor(
  mapping: CompiledMapping,
  status: number
): readonly MappingOp[] | undefined {
  const code = String(status)
  return mapping.response.get(code) ?? mapping.response.get(`${code.charAt(0)}XX`)
}

/**
 * Applies response mapping to `headers`; returns the (possibly overwritten) status. A value the
 * upstream made invalid (a CR/LF from its body) is the upstream's fault: 502.
 */
export function applyResponseMapping(
  ops: readonly MappingOp[],
  status: number,
  headers: Headers,
  sources: ExpressionSources
): number {
  let out = status
  for (const op of ops) {
    const value = op.action === 'remove' ? undefined : evaluateExpression(op.value, sources)
    if (op.target.kind === 'statuscode') {
      const parsed = value === undefined ? undefined : parseStatus(value)
      if (value !== undefined && parsed === undefined) {
        throw new GatewayError('MALFORMED_INTEGRATION_RESPONSE', {
          reason: `mapped status "${value.slice(0, 20)}" is not a status code`,
        })
      }
      out = parsed ?? out
    } else if (op.target.kind === 'header') {
      if (value !== undefined && !isValidHeaderValue(value)) {
        throw new GatewayError('MALFORMED_INTEGRATION_RESPONSE', {
          reason: `mapped value for ${op.key} is not a valid header value`,
        })
      }
      applyHeader(headers, op, op.target.name, value)
    }
  }
  return out
}
