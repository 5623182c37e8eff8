/**
 * Body limits and encodings for the integrations that must buffer (Lambda events, mapping that
 * reads `$request.body` / `$response.body`); the capped reading itself is `readCapped`
 * (src/streams/read-capped.ts).
 */
import type { MappedBody } from './mapping-expression'

/** AWS Lambda: 6 MB synchronous invocation payload (request and response). */
export const LAMBDA_PAYLOAD_LIMIT = 6 * 1024 * 1024
/** AWS HTTP API: 10 MB payload. */
export const HTTP_PAYLOAD_LIMIT = 10 * 1024 * 1024
/** AWS: a JSON path selection reads at most the first 100 KB of a body. */
const MAPPING_JSON_LIMIT = 100 * 1024

/** Body text plus its JSON value (AWS: JSON paths see only the first 100 KB). */
export function toMappedBody(bytes: Uint8Array): MappedBody {
  const text = new TextDecoder().decode(bytes)
  let json: unknown = undefined
  if (bytes.byteLength <= MAPPING_JSON_LIMIT) {
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
  }
  return { text, json }
}

/** Standard base64 of bytes (Lambda `isBase64Encoded` bodies). */
export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary)
}

/** Decodes standard base64; undefined when the text is not base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  const clean = text.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return undefined
  try {
    const binary = atob(clean)
    const out = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
    return out
  } catch {
    return undefined
  }
}
