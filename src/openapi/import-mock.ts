/**
 * `mock` integrations → `mockResponse`. AWS: the request template `{"statusCode": N}` selects the
 * integration response whose selection pattern matches N (else `default`); that response's
 * `statusCode`, header mappings (`'literal'` only: a mock has no upstream) and template become
 * what the gateway answers.
 */
import type { MockResponseConfig } from '../config/types'
import type { Diagnostics } from './diagnostics'
import type { JsonObject } from './json'
import { child, isRecord, isStringMap } from './json'

export interface MockImport {
  mockResponse: MockResponseConfig
  /** Parts kept for export: unparseable request templates, other responses and templates. */
  passthrough: JsonObject
}

export function importMock(integration: JsonObject, path: string, d: Diagnostics): MockImport {
  const passthrough: JsonObject = {}
  const selector = mockSelector(integration.requestTemplates, child(path, 'requestTemplates'), d)
  if (selector.keep) passthrough.requestTemplates = integration.requestTemplates
  const responses = isRecord(integration.responses) ? integration.responses : {}
  const key = chooseResponse(responses, selector.statusCode, child(path, 'responses'), d)
  const others = Object.fromEntries(Object.entries(responses).filter(([k]) => k !== key))
  if (Object.keys(others).length > 0) {
    d.warn(child(path, 'responses'), 'Only the integration response the mock selects is served')
    passthrough.responses = others
  }
  const chosen = key === undefined ? undefined : responses[key]
  const at = child(path, 'responses', key ?? 'default')
  const mockResponse: MockResponseConfig = { statusCode: selector.statusCode }
  if (!isRecord(chosen)) return { mockResponse, passthrough }
  const status = Number(chosen.statusCode ?? selector.statusCode)
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    d.error(child(at, 'statusCode'), 'statusCode must be an HTTP status code (100-599)')
  } else mockResponse.statusCode = status
  const headers = mockHeaders(chosen.responseParameters, child(at, 'responseParameters'), d)
  const templates = chosen.responseTemplates
  if (templates !== undefined && !isStringMap(templates)) {
    d.error(child(at, 'responseTemplates'), 'responseTemplates must map content types to strings')
  } else if (templates !== undefined) {
    const entries = Object.entries(templates)
    const [contentType, body] =
      entries.find(([ct]) => ct === 'application/json') ?? entries[0] ?? []
    if (contentType !== undefined && body !== undefined) {
      mockResponse.body = body
      if (contentType !== 'application/json' && !hasHeader(headers, 'content-type')) {
        headers['Content-Type'] = contentType
      }
      if (/[$#]/.test(body)) {
        d.warn(
          child(at, 'responseTemplates', contentType),
          'Mapping templates (VTL) are not evaluated yet: the mock answers this text verbatim'
        )
      }
      if (entries.length > 1) {
        d.warn(child(at, 'responseTemplates'), `Only the ${contentType} template is served`)
        passthrough.mockResponseTemplates = templates
      }
    }
  }
  if (Object.keys(headers).length > 0) mockResponse.headers = headers
  return { mockResponse, passthrough }
}

function mockSelector(
  raw: unknown,
  path: string,
  d: Diagnostics
): { statusCode: number; keep: boolean } {
  if (raw === undefined) return { statusCode: 200, keep: false }
  const templates = isStringMap(raw) ? Object.entries(raw) : []
  const [, template] = templates.find(([ct]) => ct === 'application/json') ?? templates[0] ?? []
  try {
    const parsed: unknown = JSON.parse(template ?? '')
    const code = isRecord(parsed) ? Number(parsed.statusCode) : NaN
    if (Number.isInteger(code) && code >= 100 && code <= 599 && templates.length === 1) {
      return { statusCode: code, keep: false }
    }
  } catch {
    // Falls through to the warning below.
  }
  d.warn(
    path,
    'Mock request templates other than {"statusCode": N} are not evaluated: status 200 is selected'
  )
  return { statusCode: 200, keep: true }
}

function chooseResponse(
  responses: JsonObject,
  statusCode: number,
  path: string,
  d: Diagnostics
): string | undefined {
  for (const pattern of Object.keys(responses)) {
    if (pattern === 'default') continue
    try {
      // AWS selection patterns are Java regexes matched against the whole status code; the
      // subject is three digits, so a hostile pattern cannot backtrack for long.
      if (new RegExp(`^(?:${pattern})$`).test(String(statusCode))) return pattern
    } catch {
      d.error(child(path, pattern), 'Invalid selection pattern')
    }
  }
  return 'default' in responses ? 'default' : undefined
}

function mockHeaders(raw: unknown, path: string, d: Diagnostics): Record<string, string> {
  const headers: Record<string, string> = {}
  if (raw === undefined) return headers
  if (!isStringMap(raw)) {
    d.error(path, 'responseParameters must map method.response.header.* to strings')
    return headers
  }
  for (const [key, value] of Object.entries(raw)) {
    const name = /^method\.response\.header\.(.+)$/.exec(key)?.[1]
    const literal = /^'(.*)'$/s.exec(value)?.[1]
    if (name === undefined || literal === undefined) {
      d.error(child(path, key), "A mock response can only set headers to static values ('value')")
    } else headers[name] = literal
  }
  return headers
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((h) => h.toLowerCase() === name)
}
