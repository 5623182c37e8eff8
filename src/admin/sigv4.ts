/**
 * AWS Signature Version 4 verification for the admin plane (header form only). The canonical
 * request is rebuilt exactly as the AWS SDKs (smithy `SignatureV4`) and aws4fetch build it for a
 * non-S3 service: URI path double-encoded per segment, query pairs re-encoded (RFC 3986) and
 * sorted, signed headers trimmed with inner whitespace collapsed, payload hash = SHA-256 of the
 * body actually received. AWS General Reference, "Create a canonical request for Signature
 * Version 4". Failures never echo the expected signature or the canonical request.
 */
import { AdminError } from './errors'

/** AWS accepts a request whose X-Amz-Date is within 5 minutes of its clock. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000

/** Signing name of the admin API: the `apigateway` service, as both AWS SDK clients sign. */
export const ADMIN_SIGNING_SERVICE = 'apigateway'

export interface SigV4Request {
  method: string
  url: URL
  headers: Headers
  body: Uint8Array
}

export interface SigV4Keys {
  accessKeyId: string
  secretAccessKey: string
}

interface ParsedAuthorization {
  accessKeyId: string
  date: string
  region: string
  service: string
  terminator: string
  signedHeaders: string[]
  signature: string
}

const encoder = new TextEncoder()

function fail(
  type: 'IncompleteSignatureException' | 'InvalidSignatureException',
  m: string
): never {
  throw new AdminError(type, m)
}

function parseAuthorization(header: string): ParsedAuthorization {
  const rest = header.slice('AWS4-HMAC-SHA256'.length).trim()
  const parts = new Map<string, string>()
  for (const piece of rest.split(',')) {
    const eq = piece.indexOf('=')
    if (eq > 0) parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim())
  }
  const credential = parts.get('Credential')
  const signedHeaders = parts.get('SignedHeaders')
  const signature = parts.get('Signature')
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    return fail(
      'IncompleteSignatureException',
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters."
    )
  }
  const scope = credential.split('/')
  const [accessKeyId, date, region, service, terminator] = scope
  if (
    scope.length !== 5 ||
    accessKeyId === undefined ||
    date === undefined ||
    region === undefined ||
    service === undefined ||
    terminator === undefined
  ) {
    return fail('IncompleteSignatureException', 'Credential should be scoped to a valid region.')
  }
  return {
    accessKeyId,
    date,
    region,
    service,
    terminator,
    signedHeaders: signedHeaders.split(';'),
    signature: signature.toLowerCase(),
  }
}

async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data
  return toHex(await crypto.subtle.digest('SHA-256', bytes))
}

function toHex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

async function hmac(key: ArrayBuffer | Uint8Array, data: string): Promise<ArrayBuffer> {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  return crypto.subtle.sign('HMAC', k, encoder.encode(data))
}

/** RFC 3986 unreserved characters stay; everything else is %XX (encodeURIComponent + !'()*). */
function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`
  )
}

/** The path as received (already percent-encoded) encoded once more, segment by segment. */
export function canonicalUri(url: URL): string {
  const path = url.pathname.replace(/\/+/g, '/')
  return uriEscape(path).replace(/%2F/g, '/')
}

export function canonicalQuery(url: URL): string {
  return [...url.searchParams]
    .filter(([k]) => k !== '')
    .map(([k, v]) => [uriEscape(k), uriEscape(v)] as const)
    .sort(([k1, v1], [k2, v2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&')
}

function canonicalHeaderValue(req: SigV4Request, name: string): string | null {
  const value = req.headers.get(name) ?? (name === 'host' ? req.url.host : null)
  return value === null ? null : value.trim().replace(/\s+/g, ' ')
}

function amzDateToMs(value: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
  if (m === null) return null
  const ms = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    +(m[4] ?? 0),
    +(m[5] ?? 0),
    +(m[6] ?? 0)
  )
  return Number.isNaN(ms) ? null : ms
}

function checkTime(amzDate: string, now: number): void {
  const at = amzDateToMs(amzDate)
  if (at === null) return fail('IncompleteSignatureException', 'X-Amz-Date is not a valid date.')
  const fmt = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '')
  // AWS wording for a request signed more than 5 minutes away from the server clock.
  if (at < now - MAX_CLOCK_SKEW_MS) {
    fail(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${fmt(now - MAX_CLOCK_SKEW_MS)} (${fmt(now)} - 5 min.)`
    )
  }
  if (at > now + MAX_CLOCK_SKEW_MS) {
    fail(
      'InvalidSignatureException',
      `Signature not yet current: ${amzDate} is still later than ${fmt(now + MAX_CLOCK_SKEW_MS)} (${fmt(now)} + 5 min.)`
    )
  }
}

/** Equal-length digests of both sides, so neither length nor content leaks through timing. */
async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(a)),
    crypto.subtle.digest('SHA-256', encoder.encode(b)),
  ])
  return crypto.subtle.timingSafeEqual(da, db)
}

/**
 * Verifies a SigV4-signed request. Returns the access key id (the audit principal) or throws an
 * `AdminError` with AWS's type: IncompleteSignature / UnrecognizedClient / InvalidSignature.
 * `service` is the signing name the credential scope must carry (`execute-api` for @connections).
 */
export async function verifySigV4(
  req: SigV4Request,
  keys: SigV4Keys,
  now: number,
  service: string = ADMIN_SIGNING_SERVICE
): Promise<string> {
  const auth = parseAuthorization(req.headers.get('authorization') ?? '')
  if (!(await constantTimeEqual(auth.accessKeyId, keys.accessKeyId))) {
    throw new AdminError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.'
    )
  }
  const amzDate = req.headers.get('x-amz-date')
  if (amzDate === null) {
    return fail('IncompleteSignatureException', 'Authorization header requires X-Amz-Date.')
  }
  checkTime(amzDate, now)
  if (auth.date !== amzDate.slice(0, 8) || auth.terminator !== 'aws4_request') {
    return fail('InvalidSignatureException', 'Credential scope does not match X-Amz-Date.')
  }
  if (auth.service !== service) {
    return fail(
      'InvalidSignatureException',
      `Credential should be scoped to correct service: '${service}'.`
    )
  }
  const signed = auth.signedHeaders
  if (!signed.includes('host') || !signed.includes('x-amz-date')) {
    return fail('InvalidSignatureException', "'Host' and 'X-Amz-Date' must be signed headers.")
  }
  const headerLines: string[] = []
  for (const name of signed) {
    const value = name === name.toLowerCase() ? canonicalHeaderValue(req, name) : null
    if (value === null)
      return fail('InvalidSignatureException', `Signed header '${name}' is missing.`)
    headerLines.push(`${name}:${value}\n`)
  }
  const payloadHash = await sha256Hex(req.body)
  const declared = req.headers.get('x-amz-content-sha256')
  if (declared !== null && declared.toLowerCase() !== payloadHash) {
    return fail(
      'InvalidSignatureException',
      'The provided x-amz-content-sha256 does not match the request body.'
    )
  }
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalUri(req.url),
    canonicalQuery(req.url),
    headerLines.join(''),
    signed.join(';'),
    declared ?? payloadHash,
  ].join('\n')
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, await sha256Hex(canonicalRequest)].join(
    '\n'
  )
  let key = await hmac(encoder.encode(`AWS4${keys.secretAccessKey}`), auth.date)
  for (const part of [auth.region, auth.service, 'aws4_request']) key = await hmac(key, part)
  const expected = toHex(await hmac(key, stringToSign))
  if (!(await constantTimeEqual(expected, auth.signature))) {
    // AWS's wording, without the canonical request / string to sign it adds for debugging.
    return fail(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.'
    )
  }
  return auth.accessKeyId
}
