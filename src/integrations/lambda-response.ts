/**
 * Parses what a WORKER backend answers, by payload format. AWS rules: 1.0 needs an object with
 * an integer `statusCode`, string-valued `headers`, `multiValueHeaders` (which win over `headers`
 * for the same name) and a string `body`; 2.0 also takes `cookies`, and a valid JSON value
 * without `statusCode` means 200 with that JSON as an application/json body. Anything else is a
 * malformed response (AWS answers 502). Public contract: demo backends import these types.
 */
import { err, ok, type Result } from '../result'
import { fromBase64 } from './body'
import { isNullBodyStatus, isValidHeaderName, isValidHeaderValue, stripHopByHop } from './headers'

type HeaderScalar = string | number | boolean

/** AWS `APIGatewayProxyResult`. */
export interface LambdaResponseV1 {
  statusCode: number
  headers?: Record<string, HeaderScalar>
  multiValueHeaders?: Record<string, HeaderScalar[]>
  body?: string
  isBase64Encoded?: boolean
}

/** AWS `APIGatewayProxyStructuredResultV2`; a 2.0 backend may also return any other JSON. */
export interface LambdaResponseV2 {
  statusCode: number
  headers?: Record<string, HeaderScalar>
  cookies?: string[]
  body?: string
  isBase64Encoded?: boolean
}

/** A parsed backend answer, ready to become a Response. */
export interface LambdaResult {
  readonly status: number
  readonly headers: Headers
  readonly body: Uint8Array | string | null
}

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isScalar(value: unknown): value is HeaderScalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
}

function setHeader(headers: Headers, name: string, value: HeaderScalar, append: boolean) {
  const text = String(value)
  if (!isValidHeaderName(name) || !isValidHeaderValue(text)) return false
  if (append) headers.append(name, text)
  else headers.set(name, text)
  return true
}

function parseHeaders(response: Json, multi: boolean): Result<Headers, string> {
  const headers = new Headers()
  const single = response.headers ?? null
  const multiple = multi ? (response.multiValueHeaders ?? null) : null
  if (single !== null && !isObject(single)) return err('headers is not an object')
  if (multiple !== null && !isObject(multiple)) return err('multiValueHeaders is not an object')
  const fromMulti = new Set<string>()
  for (const [name, values] of Object.entries(multiple ?? {})) {
    if (!Array.isArray(values) || !values.every(isScalar)) return err(`multiValueHeaders.${name}`)
    fromMulti.add(name.toLowerCase())
    for (const value of values) if (!setHeader(headers, name, value, true)) return err(name)
  }
  for (const [name, value] of Object.entries(single ?? {})) {
    if (!isScalar(value)) return err(`headers.${name} is not a string`)
    // AWS: for a name in both maps, only the multiValueHeaders values are kept.
    if (fromMulti.has(name.toLowerCase())) continue
    if (!setHeader(headers, name, value, false)) return err(`headers.${name} is not valid`)
  }
  stripHopByHop(headers)
  headers.delete('content-length')
  return ok(headers)
}

function parseStatusCode(value: unknown): Result<number, string> {
  const n = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 200 || n > 599) {
    return err('statusCode is not an integer from 200 to 599')
  }
  return ok(n)
}

function parseStructured(response: Json, version: '1.0' | '2.0'): Result<LambdaResult, string> {
  const status = parseStatusCode(response.statusCode)
  if (!status.ok) return status
  const headers = parseHeaders(response, version === '1.0')
  if (!headers.ok) return err(`bad header: ${headers.error}`)
  if (version === '2.0' && response.cookies !== undefined && response.cookies !== null) {
    const cookies = response.cookies
    if (!Array.isArray(cookies) || !cookies.every((c) => typeof c === 'string')) {
      return err('cookies is not an array of strings')
    }
    for (const cookie of cookies) {
      if (!isValidHeaderValue(cookie)) return err('cookie is not a valid header value')
      headers.value.append('set-cookie', cookie)
    }
  }
  const rawBody = response.body ?? null
  if (rawBody !== null && typeof rawBody !== 'string') return err('body is not a string')
  const base64 = response.isBase64Encoded ?? false
  if (typeof base64 !== 'boolean') return err('isBase64Encoded is not a boolean')
  let body: Uint8Array | string | null = rawBody
  if (base64 && rawBody !== null) {
    const bytes = fromBase64(rawBody)
    if (bytes === undefined) return err('body is not valid base64')
    body = bytes
  }
  if (isNullBodyStatus(status.value)) body = null
  return ok({ status: status.value, headers: headers.value, body })
}

/** Parses a backend's answer text; an error string means MALFORMED_INTEGRATION_RESPONSE. */
export function parseLambdaResponse(
  text: string,
  version: '1.0' | '2.0'
): Result<LambdaResult, string> {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return err('response is not JSON')
  }
  if (isObject(parsed) && 'statusCode' in parsed) return parseStructured(parsed, version)
  if (version === '1.0') return err('response has no statusCode')
  // AWS 2.0 inference: valid JSON without statusCode is a 200 application/json body.
  return ok({
    status: 200,
    headers: new Headers({ 'content-type': 'application/json' }),
    body: text,
  })
}
