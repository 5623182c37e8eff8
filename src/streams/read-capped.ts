/**
 * Reading a body into memory under a byte cap: the one reader behind the admin body, the
 * integrations that must buffer (Lambda events, body mapping) and the response cache's store copy.
 * A declared length over the cap is refused before reading, and the stream is cancelled as soon
 * as it passes the cap, so a body never costs more memory than the cap.
 */

export interface ReadCappedOptions {
  /** The declared Content-Length: a decimal value over the cap cancels the stream unread. */
  declaredLength?: string | null
  /** Reason handed to `cancel` when the body passes the cap. */
  overCapReason?: string
  /** Reason handed to `cancel` when a chunk is not bytes (nothing to buffer). */
  notBytesReason?: string
}

/**
 * Reads `stream` to bytes (a null stream is an empty body); `undefined` when it holds more than
 * `limit` bytes or a chunk that is not a `Uint8Array` (the stream is then cancelled).
 */
export async function readCapped(
  stream: ReadableStream<unknown> | null,
  limit: number,
  options: ReadCappedOptions = {}
): Promise<Uint8Array | undefined> {
  if (stream === null) return new Uint8Array()
  const { declaredLength } = options
  if (declaredLength !== undefined && declaredLength !== null && /^\d+$/.test(declaredLength)) {
    if (Number(declaredLength) > limit) {
      await stream.cancel()
      return undefined
    }
  }
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (!(value instanceof Uint8Array)) {
      await reader.cancel(options.notBytesReason)
      return undefined
    }
    size += value.byteLength
    if (size > limit) {
      await reader.cancel(options.overCapReason)
      return undefined
    }
    chunks.push(value)
  }
  const out = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}
