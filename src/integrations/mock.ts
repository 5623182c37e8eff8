/**
 * MOCK: the gateway answers for the upstream with `mockResponse`. The body may name
 * `$context.*` variables (`{"id": "$context.requestId"}`); nothing else is substituted, and in a
 * JSON body each value is JSON-string-escaped so a caller-influenced value (user agent,
 * authorizer context) cannot break out of its string.
 */
import type { IntegrationConfig } from '../config/types'
import type { IntegrationHandler, RequestContext } from '../pipeline/types'
import { err, ok, type Result } from '../result'
import { isKnownContextVariable, resolveContextVariable } from './context-variables'
import {
  HOP_BY_HOP_HEADERS,
  isNullBodyStatus,
  isValidHeaderName,
  isValidHeaderValue,
} from './headers'
import { parseStatus } from './parameter-mapping'

type BodyPart = { kind: 'text'; text: string } | { kind: 'context'; name: string }

const CONTEXT_REF =
  /\$\{context\.([A-Za-z0-9_.:-]+)\}|\$context\.([A-Za-z0-9_:-]+(?:\.[A-Za-z0-9_:-]+)*)/g

function compileBody(body: string): BodyPart[] {
  const parts: BodyPart[] = []
  let last = 0
  for (const match of body.matchAll(CONTEXT_REF)) {
    const name = match[1] ?? match[2] ?? ''
    // Unknown names stay literal text: the body is the user's, only known variables are ours.
    if (!isKnownContextVariable(name)) continue
    parts.push({ kind: 'text', text: body.slice(last, match.index) })
    parts.push({ kind: 'context', name })
    last = match.index + match[0].length
  }
  parts.push({ kind: 'text', text: body.slice(last) })
  return parts.filter((p) => p.kind !== 'text' || p.text !== '')
}

function render(parts: readonly BodyPart[], ctx: RequestContext, json: boolean): string {
  let out = ''
  for (const part of parts) {
    if (part.kind === 'text') {
      out += part.text
      continue
    }
    const value = resolveContextVariable(ctx, part.name) ?? ''
    out += json ? JSON.stringify(value).slice(1, -1) : value
  }
  return out
}

/** Builds a MOCK handler. Status 200–599, valid headers; defaults to an empty 200. */
export function buildMockIntegration(
  integration: IntegrationConfig
): Result<IntegrationHandler, string> {
  const mock = integration.mockResponse ?? { statusCode: 200 }
  const status = parseStatus(String(mock.statusCode))
  if (status === undefined)
    return err(`mockResponse.statusCode ${String(mock.statusCode)} is not 200–599`)
  const headers = new Headers()
  for (const [name, value] of Object.entries(mock.headers ?? {})) {
    const lower = name.toLowerCase()
    if (!isValidHeaderName(lower) || !isValidHeaderValue(value)) {
      return err(`mockResponse header ${name} is not a valid header`)
    }
    if (HOP_BY_HOP_HEADERS.includes(lower) || lower === 'content-length') {
      return err(`mockResponse header ${name} is managed by the gateway`)
    }
    headers.append(lower, value)
  }
  const parts = compileBody(mock.body ?? '')
  const json = /\bjson\b/i.test(headers.get('content-type') ?? '')
  const hasBody = mock.body !== undefined && !isNullBodyStatus(status)
  return ok((ctx) => {
    ctx.log.integrationStatus = status
    ctx.log.integrationLatencyMs = 0
    const body = hasBody ? render(parts, ctx, json) : null
    return Promise.resolve(new Response(body, { status, headers: new Headers(headers) }))
  })
}
