/** Calls the admin plane's v2 API through the worker, as an SDK or curl would. */
import { env, exports } from 'cloudflare:workers'
import { expect } from 'vitest'

export interface AdminReply {
  status: number
  headers: Headers
  /** Parsed JSON body (null for an empty body); tests look into it freely. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any
  text: string
}

export async function admin(method: string, path: string, body?: unknown): Promise<AdminReply> {
  const headers: Record<string, string> = {
    Host: 'admin.localhost',
    Authorization: `Bearer ${env.ADMIN_TOKEN ?? ''}`,
  }
  const init: RequestInit = { method, headers }
  if (body !== undefined) {
    headers['content-type'] = 'application/json'
    init.body = typeof body === 'string' ? body : JSON.stringify(body)
  }
  const res = await exports.default.fetch(`http://admin.localhost${path}`, init)
  const text = new TextDecoder().decode(await res.arrayBuffer())
  let json: unknown
  try {
    json = text === '' ? null : JSON.parse(text)
  } catch {
    json = null
  }
  return { status: res.status, headers: res.headers, json, text }
}

/** Asserts an AWS-shaped error: status, `x-amzn-ErrorType` and a message matching `pattern`. */
export function expectError(
  reply: AdminReply,
  status: number,
  type: string,
  pattern?: RegExp
): void {
  expect({ status: reply.status, type: reply.headers.get('x-amzn-ErrorType') }).toEqual({
    status,
    type,
  })
  expect(typeof reply.json?.message).toBe('string')
  if (pattern !== undefined) expect(reply.json.message).toMatch(pattern)
}

/** Creates an HTTP API (optionally allowing loopback upstreams) and returns its id. */
export async function createHttpApi(extra: Record<string, unknown> = {}): Promise<string> {
  const reply = await admin('POST', '/v2/apis', { name: 'test', protocolType: 'HTTP', ...extra })
  expect(reply.status).toBe(201)
  return reply.json.apiId as string
}

/** Creates an HTTP_PROXY integration and returns its id. */
export async function createIntegration(
  apiId: string,
  uri = 'https://example.com/backend'
): Promise<string> {
  const reply = await admin('POST', `/v2/apis/${apiId}/integrations`, {
    integrationType: 'HTTP_PROXY',
    integrationUri: uri,
    integrationMethod: 'ANY',
    payloadFormatVersion: '1.0',
  })
  expect(reply.status).toBe(201)
  return reply.json.integrationId as string
}
