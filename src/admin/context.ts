/**
 * Per-request facts of the admin plane (request id, authenticated principal, the capped body),
 * kept beside Hono's context so that resource modules typed `Hono<GatewayEnv>` (v1 and v2) can
 * read them without sharing a Variables type.
 */
import type { Context } from 'hono'
import { readCapped } from '../streams/read-capped'
import { AdminError } from './errors'

/** AWS caps API import bodies at a few MB; 6 MiB also bounds what SigV4 hashing reads. */
export const MAX_ADMIN_BODY_BYTES = 6 * 1024 * 1024

export interface AdminRequestInfo {
  requestId: string
  /** Admin access key id, or "bearer"; null until authentication succeeded. */
  principal: string | null
  /** The body, once read under the cap. */
  body?: Uint8Array
}

const infos = new WeakMap<Request, AdminRequestInfo>()

/** The admin facts of this request (created on first use). */
export function adminRequest(c: Context): AdminRequestInfo {
  let info = infos.get(c.req.raw)
  if (info === undefined) {
    info = { requestId: crypto.randomUUID(), principal: null }
    infos.set(c.req.raw, info)
  }
  return info
}

function tooLarge(): AdminError {
  return new AdminError(
    'RequestTooLargeException',
    `Request body exceeds ${String(MAX_ADMIN_BODY_BYTES)} bytes`
  )
}

/** Refuses a declared Content-Length above the cap before anything reads the body. */
export function checkDeclaredLength(c: Context): void {
  const declared = c.req.header('content-length')
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > MAX_ADMIN_BODY_BYTES) {
    throw tooLarge()
  }
}

async function readAdminBody(stream: ReadableStream<Uint8Array> | null): Promise<Uint8Array> {
  const body = await readCapped(stream, MAX_ADMIN_BODY_BYTES)
  if (body === undefined) throw tooLarge()
  return body
}

/**
 * The request body, read once with the size cap (a chunked body without Content-Length is
 * counted as it streams). The raw stream is consumed: admin handlers read the body only through
 * this function (or `adminBodyText`), never `c.req.text()` / `c.req.json()`.
 */
export async function adminBody(c: Context): Promise<Uint8Array> {
  const info = adminRequest(c)
  info.body ??= await readAdminBody(c.req.raw.body)
  return info.body
}

/** The body as UTF-8 text (invalid sequences are replaced, as JSON parsing will then refuse). */
export async function adminBodyText(c: Context): Promise<string> {
  return new TextDecoder().decode(await adminBody(c))
}
