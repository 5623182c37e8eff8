/**
 * A scriptable identity provider on 127.0.0.1 for JWT authorizer tests: each path answers what a
 * test told it to (a JWKS, an OIDC discovery document, garbage, a huge or slow body, an error),
 * and counts the requests it saw. Tests in workerd script it over HTTP:
 *   PUT  /_script/<path>  body {status?, body?, headers?, delayMs?, sizeBytes?}
 *                         → `GET /<path>` answers that (`sizeBytes`: a body of that many bytes)
 *   GET  /_hits/<path>    → {"hits": n}: requests seen for `/<path>`
 *   GET  /<path>          → the scripted answer, or 404 when nothing was scripted
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ScriptedResponse {
  status?: number
  body?: string
  headers?: Record<string, string>
  /** Wait this long before sending the head. */
  delayMs?: number
  /** Send a body of this many bytes instead of `body`. */
  sizeBytes?: number
}

export interface JwksServer {
  port: number
  /** Script `path` directly (Node-side tests). */
  script(path: string, response: ScriptedResponse): void
  hits(path: string): number
  close(): Promise<void>
}

const MAX_SCRIPT_BYTES = 1024 * 1024

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_SCRIPT_BYTES) chunks.push(chunk)
    })
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'))
    })
    req.on('error', reject)
  })
}

function parseScript(text: string): ScriptedResponse {
  const value: unknown = JSON.parse(text)
  if (typeof value !== 'object' || value === null) throw new Error('script must be an object')
  return value
}

export async function startJwksServer(): Promise<JwksServer> {
  const scripts = new Map<string, ScriptedResponse>()
  const hits = new Map<string, number>()
  const timers = new Set<NodeJS.Timeout>()
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://idp').pathname
    void (async () => {
      if (req.method === 'PUT' && path.startsWith('/_script/')) {
        scripts.set(path.slice('/_script'.length), parseScript(await readBody(req)))
        res.writeHead(204).end()
        return
      }
      if (path.startsWith('/_hits/')) {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ hits: hits.get(path.slice('/_hits'.length)) ?? 0 }))
        return
      }
      hits.set(path, (hits.get(path) ?? 0) + 1)
      const scripted = scripts.get(path)
      if (scripted === undefined) {
        res.writeHead(404).end()
        return
      }
      const delay = Math.min(scripted.delayMs ?? 0, 10_000)
      if (delay > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer)
            resolve()
          }, delay)
          timers.add(timer)
        })
      }
      const body =
        scripted.sizeBytes === undefined
          ? (scripted.body ?? '')
          : '['.padEnd(Math.min(scripted.sizeBytes, 16 * 1024 * 1024), ' ')
      res.writeHead(scripted.status ?? 200, {
        'content-type': 'application/json',
        ...scripted.headers,
      })
      res.end(body)
    })().catch(() => {
      if (!res.headersSent) res.writeHead(400)
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    port,
    script: (path, response) => scripts.set(path, response),
    hits: (path) => hits.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer)
        server.closeAllConnections()
        server.close(() => {
          resolve()
        })
      }),
  }
}
