/**
 * Fetching an identity provider's JSON documents (JWKS, OIDC discovery): one timeout covering
 * head and body, redirects never followed (a redirect could lead the gateway anywhere), a byte
 * cap read through the shared capped reader, JSON only. Failures are `KeyFetchError`s whose
 * message is for logs only.
 */
import { readCapped } from '../../../streams/read-capped'

/** The identity provider must answer within this (issue 4). */
export const KEY_FETCH_TIMEOUT_MS = 1500
/** Largest JWKS or discovery document read; real ones are a few KiB. */
export const MAX_KEY_DOCUMENT_BYTES = 64 * 1024

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

export class KeyFetchError extends Error {
  override readonly name = 'KeyFetchError'
}

/** A fetched document and what its `Cache-Control: max-age` said (seconds), if anything. */
export interface FetchedDocument {
  readonly json: unknown
  readonly maxAgeSeconds: number | undefined
}

/** The transport, replaceable in tests; the platform `fetch` by default. */
export type Fetcher = (url: string, init: RequestInit) => Promise<Response>

function maxAgeOf(cacheControl: string | null): number | undefined {
  if (cacheControl === null) return undefined
  if (/(^|,)\s*(no-store|no-cache)\s*(,|$)/i.test(cacheControl)) return 0
  const match = /(^|,)\s*max-age\s*=\s*"?(\d{1,10})"?\s*(,|$)/i.exec(cacheControl)
  return match?.[2] === undefined ? undefined : Number(match[2])
}

/** The URL as a log may show it: no query or fragment (DESIGN §5: they may carry secrets). */
function forLog(url: URL): string {
  return `${url.origin}${url.pathname}`
}

/** GETs `url` and parses it as JSON under the timeout and size cap. Throws `KeyFetchError`. */
export async function fetchKeyDocument(url: URL, fetcher: Fetcher): Promise<FetchedDocument> {
  const signal = AbortSignal.timeout(KEY_FETCH_TIMEOUT_MS)
  let bytes: Uint8Array | undefined
  let response: Response
  try {
    response = await fetcher(url.href, {
      method: 'GET',
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal,
    })
    if (response.status !== 200) {
      await response.body?.cancel()
      throw new KeyFetchError(`${forLog(url)} answered status ${String(response.status)}`)
    }
    bytes = await readCapped(response.body, MAX_KEY_DOCUMENT_BYTES, {
      declaredLength: response.headers.get('content-length'),
    })
  } catch (error) {
    if (error instanceof KeyFetchError) throw error
    const why = signal.aborted
      ? `no answer within ${String(KEY_FETCH_TIMEOUT_MS)} ms`
      : error instanceof Error
        ? error.message
        : String(error)
    throw new KeyFetchError(`fetching ${forLog(url)} failed: ${why}`)
  }
  if (bytes === undefined) {
    throw new KeyFetchError(`${forLog(url)} is larger than ${String(MAX_KEY_DOCUMENT_BYTES)} bytes`)
  }
  let json: unknown
  try {
    json = JSON.parse(UTF8.decode(bytes))
  } catch {
    throw new KeyFetchError(`${forLog(url)} is not JSON`)
  }
  return { json, maxAgeSeconds: maxAgeOf(response.headers.get('cache-control')) }
}
