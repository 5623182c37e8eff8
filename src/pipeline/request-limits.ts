/**
 * Size caps checked before any expensive step (SECURITY: sizes and parsers). Numbers follow
 * Amazon API Gateway's quotas: 10 MB payload, 10,240-byte request line, 10,240 bytes of headers.
 */
import { GatewayError } from '../errors/gateway-error'

export const MAX_URL_BYTES = 10_240
export const MAX_HEADER_BYTES = 10_240
export const MAX_BODY_BYTES = 10 * 1024 * 1024

/** Throws REQUEST_TOO_LARGE (414 / 431 / 413) when a cap is exceeded. */
export function checkRequestSize(request: Request, rawUrl: string): void {
  if (rawUrl.length > MAX_URL_BYTES) {
    throw new GatewayError('REQUEST_TOO_LARGE', {
      status: 414,
      message: 'Request-URI Too Large',
      reason: `url length ${String(rawUrl.length)}`,
    })
  }
  let headerBytes = 0
  request.headers.forEach((value, name) => {
    headerBytes += name.length + value.length + 4
  })
  if (headerBytes > MAX_HEADER_BYTES) {
    throw new GatewayError('REQUEST_TOO_LARGE', {
      status: 431,
      message: 'Request Header Fields Too Large',
      reason: `header bytes ${String(headerBytes)}`,
    })
  }
  const length = request.headers.get('content-length')
  if (length !== null && Number(length) > MAX_BODY_BYTES) {
    throw new GatewayError('REQUEST_TOO_LARGE', { reason: `content-length ${length}` })
  }
}

/**
 * A body without Content-Length (chunked) is counted as it streams. Past the cap the returned
 * request's `signal` aborts with REQUEST_TOO_LARGE before the stream errors: workerd ends a
 * chunked upload whose source stream errors as if it were complete, so only aborting the
 * upstream fetch (transport.ts listens to this signal) keeps the upstream from acting on a
 * truncated body.
 */
export function limitBody(request: Request): Request {
  if (request.body === null || request.headers.has('content-length')) return request
  let seen = 0
  const overflow = new AbortController()
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength
      if (seen <= MAX_BODY_BYTES) {
        controller.enqueue(chunk)
        return
      }
      const error = new GatewayError('REQUEST_TOO_LARGE', {
        reason: `streamed body over ${String(MAX_BODY_BYTES)} bytes`,
      })
      overflow.abort(error)
      controller.error(error)
    },
  })
  return new Request(request, { body: request.body.pipeThrough(counter), signal: overflow.signal })
}
