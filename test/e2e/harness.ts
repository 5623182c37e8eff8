/**
 * Helpers for e2e tests: real HTTP from Node to the `wrangler dev` started by global-setup.ts,
 * addressed by `Host` header (Node neither resolves `*.localhost` nor lets fetch set `Host`).
 */
import { request as httpRequest } from 'node:http'
import { inject } from 'vitest'
import { request, type SimpleResponse } from '../../scripts/lib/http.mjs'
import type { GatewayInfo } from './global-setup'

export type { SimpleResponse }

export interface CallOptions {
  method?: string
  headers?: Record<string, string>
  body?: string | Buffer
  timeoutMs?: number
}

export function gateway(): GatewayInfo {
  return inject('gateway')
}

/** The data-plane host of an API: `{apiId}.execute-api.localhost`. */
export function apiHost(apiId: string): string {
  return `${apiId}.execute-api.localhost`
}

/** Any request to wrangler dev with the given `Host`; `path` is sent exactly as written. */
export function callHost(
  host: string,
  path: string,
  options: CallOptions = {}
): Promise<SimpleResponse> {
  return request({ port: gateway().port, host, path, ...options })
}

/** A request to an API's data plane (`path` includes the stage: `/dev/pets`). */
export function callApi(
  apiId: string,
  path: string,
  options: CallOptions = {}
): Promise<SimpleResponse> {
  return callHost(apiHost(apiId), path, options)
}

/** A bearer-authenticated admin request; a non-string body is sent as JSON. */
export function admin(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {}
): Promise<SimpleResponse> {
  const g = gateway()
  const text = body === undefined || typeof body === 'string' ? body : JSON.stringify(body)
  return request({
    port: g.port,
    host: g.adminHost,
    method,
    path,
    headers: {
      authorization: `Bearer ${g.adminToken}`,
      ...(text === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(text === undefined ? {} : { body: text }),
  })
}

function expectOk(res: SimpleResponse, what: string): unknown {
  if (res.status < 200 || res.status > 299) {
    throw new Error(`${what} → ${res.status} ${res.text.slice(0, 500)}`)
  }
  return res.json()
}

function idOf(value: unknown, what: string): string {
  if (
    typeof value === 'object' &&
    value !== null &&
    'id' in value &&
    typeof value.id === 'string'
  ) {
    return value.id
  }
  throw new Error(`${what} returned no id`)
}

/** Imports an OpenAPI document as a REST API and deploys it; resolves with the API id. */
export async function deployRestApi(
  document: unknown,
  stageName = 'dev',
  variables: Record<string, string> = {}
): Promise<string> {
  const apiId = idOf(
    expectOk(await admin('POST', '/restapis?mode=import', document), 'import'),
    'import'
  )
  expectOk(
    await admin('POST', `/restapis/${apiId}/deployments`, { stageName, variables }),
    'create deployment'
  )
  return apiId
}

/** An OpenAPI 3 document allowed to reach the loopback test upstream. */
export function openApi(title: string, paths: Record<string, unknown>): Record<string, unknown> {
  return {
    openapi: '3.0.1',
    info: { title, version: '1' },
    'x-portico-allow-loopback-upstreams': true,
    paths,
  }
}

/** An `http_proxy` integration extension to `url`. */
export function httpProxy(
  url: string,
  extra: Record<string, unknown> = {}
): Record<string, unknown> {
  return {
    responses: { '200': { description: 'ok' } },
    'x-amazon-apigateway-integration': {
      type: 'http_proxy',
      httpMethod: 'ANY',
      uri: url,
      passthroughBehavior: 'when_no_match',
      ...extra,
    },
  }
}

/** Base URL of the loopback test upstream (test/support/upstream-server.ts). */
export function upstreamUrl(): string {
  return `http://127.0.0.1:${gateway().upstreamPort}`
}

/** How many requests carrying `x-test-tag: tag` reached the test upstream. */
export async function upstreamHits(tag: string): Promise<number> {
  const res = await request({
    port: gateway().upstreamPort,
    host: `127.0.0.1:${gateway().upstreamPort}`,
    path: `/hits/${encodeURIComponent(tag)}`,
  })
  const body = res.json()
  if (
    typeof body === 'object' &&
    body !== null &&
    'hits' in body &&
    typeof body.hits === 'number'
  ) {
    return body.hits
  }
  throw new Error(`unexpected /hits answer: ${res.text}`)
}

/** A tag unique to one test, for `x-test-tag` and `/hits/{tag}`. */
export function uniqueTag(prefix = 't'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
}

export interface StreamedResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** Each body chunk with the ms since the request was sent. */
  chunks: { at: number; text: string }[]
}

/** A request whose body chunks are timed as they arrive (to see streaming through the gateway). */
export function callStreaming(
  host: string,
  path: string,
  timeoutMs = 20_000
): Promise<StreamedResponse> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: gateway().port,
        path,
        headers: { host },
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        const chunks: { at: number; text: string }[] = []
        res.on('data', (c: Buffer) =>
          chunks.push({ at: Date.now() - started, text: c.toString('utf8') })
        )
        res.on('error', reject)
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, chunks })
        })
      }
    )
    req.on('timeout', () => req.destroy(new Error(`${path} timed out`)))
    req.on('error', reject)
    req.end()
  })
}
