/**
 * The request body as a Lambda event carries it: text as is, binary as base64 with
 * `isBase64Encoded: true`. Binary means the Content-Type matches the API's `binaryMediaTypes`
 * (AWS REST rule) or the bytes are not valid UTF-8 (which a JSON string could not carry).
 */
import { GatewayError } from '../errors/gateway-error'
import type { RequestContext } from '../pipeline/types'
import { LAMBDA_PAYLOAD_LIMIT, toBase64 } from './body'
import { readCapped } from '../streams/read-capped'

/** `body` / `isBase64Encoded` of an event. */
export interface LambdaBody {
  readonly body: string | null
  readonly isBase64Encoded: boolean
}

/** Whether `contentType` matches one of `binaryMediaTypes` (`image/png`, `image/*`, `*\/*`). */
function isBinaryMediaType(contentType: string | null, binaryMediaTypes: readonly string[]) {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  return binaryMediaTypes.some((pattern) => {
    const p = pattern.trim().toLowerCase()
    if (p === '*/*') return true
    if (p.endsWith('/*')) return type.startsWith(p.slice(0, -1))
    return p === type
  })
}

/** Reads the body for an event; a body over 6 MB (AWS Lambda payload limit) is a 413. */
export async function readLambdaBody(ctx: RequestContext): Promise<LambdaBody> {
  const method = ctx.request.method
  if (method === 'GET' || method === 'HEAD' || ctx.request.body === null) {
    return { body: null, isBase64Encoded: false }
  }
  const bytes = await readCapped(ctx.request.body, LAMBDA_PAYLOAD_LIMIT, {
    declaredLength: ctx.request.headers.get('content-length'),
  })
  if (bytes === undefined) {
    throw new GatewayError('REQUEST_TOO_LARGE', { reason: 'body over the 6 MB Lambda payload cap' })
  }
  if (bytes.byteLength === 0) return { body: null, isBase64Encoded: false }
  const contentType = ctx.request.headers.get('content-type')
  if (!isBinaryMediaType(contentType, ctx.api.binaryMediaTypes ?? [])) {
    try {
      return {
        body: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes),
        isBase64Encoded: false,
      }
    } catch {
      // not UTF-8: fall through to base64
    }
  }
  return { body: toBase64(bytes), isBase64Encoded: true }
}
