import { describe, expect, it } from 'vitest'
import { GatewayError } from '../../src/errors/gateway-error'
import { MAX_BODY_BYTES, limitBody } from '../../src/pipeline/request-limits'

function chunkedRequest(totalBytes: number): Request {
  const chunk = new Uint8Array(1024 * 1024)
  let left = totalBytes
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left <= 0) {
        controller.close()
        return
      }
      const n = Math.min(left, chunk.byteLength)
      left -= n
      controller.enqueue(chunk.subarray(0, n))
    },
  })
  return new Request('https://a.example/dev/x', { method: 'POST', body })
}

async function drain(request: Request): Promise<unknown> {
  try {
    await request.arrayBuffer()
    return undefined
  } catch (error) {
    return error
  }
}

describe('limitBody (chunked request bodies)', () => {
  it('aborts the request signal with REQUEST_TOO_LARGE once the body passes the cap', async () => {
    const limited = limitBody(chunkedRequest(MAX_BODY_BYTES + 1))
    expect(limited.signal.aborted).toBe(false)
    expect(await drain(limited)).toBeDefined()
    expect(limited.signal.aborted).toBe(true)
    const reason: unknown = limited.signal.reason
    expect(reason).toBeInstanceOf(GatewayError)
    expect((reason as GatewayError).type).toBe('REQUEST_TOO_LARGE')
  })

  it('passes a body of exactly the cap through without aborting', async () => {
    const limited = limitBody(chunkedRequest(MAX_BODY_BYTES))
    expect(await drain(limited)).toBeUndefined()
    expect(limited.signal.aborted).toBe(false)
  })

  it('leaves a request with Content-Length alone (its size was checked up front)', () => {
    const request = new Request('https://a.example/dev/x', {
      method: 'POST',
      body: 'abc',
      headers: { 'content-length': '3' },
    })
    expect(limitBody(request)).toBe(request)
  })
})
