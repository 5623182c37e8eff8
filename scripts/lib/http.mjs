// A tiny HTTP client on node:http for talking to `wrangler dev` by `Host` header (Node's fetch
// ignores a `Host` header, and Node does not resolve `*.localhost`): connect to 127.0.0.1:port
// and name the virtual host explicitly.
import { request as httpRequest } from 'node:http'

/**
 * @param {{ port: number, host: string, method?: string, path: string,
 *   headers?: Record<string, string>, body?: string | Buffer, timeoutMs?: number }} options
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders,
 *   text: string, json(): unknown }>}
 */
export function request(options) {
  const { port, host, method = 'GET', path, headers = {}, body, timeoutMs = 30_000 } = options
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          host,
          ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }),
          ...headers,
        },
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text),
          })
        })
      }
    )
    req.on('timeout', () => req.destroy(new Error(`${method} ${host}${path} timed out`)))
    req.on('error', reject)
    req.end(body)
  })
}
