/**
 * A real upstream on 127.0.0.1 for integration and e2e tests (the outside world, not a mock).
 * Endpoints:
 *   ANY  /echo/**            → 200 JSON {method, path, rawQuery, headers, body}
 *   GET  /slow?ms=N          → waits N ms, then 200 "slow"
 *   GET  /slow-headers?ms=N  → sends nothing for N ms (slow-loris upstream)
 *   GET  /garbage            → writes bytes that are not HTTP and closes
 *   GET  /redirect           → 302 to /echo/redirected
 *   GET  /status/{code}      → that status, JSON body
 *   GET  /stream?chunks=N&interval=ms → N chunks, `interval` ms apart
 *   GET  /hop                → a response carrying hop-by-hop headers
 *   GET  /hits/{tag}         → {"hits": n}: requests seen carrying `x-test-tag: tag`
 *   POST /record/{tag}       → keeps the JSON body under `tag` (WebSocket events), answers
 *                              status `?status=` (default 200) with body `?body=` (default none)
 *                              and header `x-portico-subscribe: ?subscribe=` when given
 *   GET  /recorded/{tag}     → the JSON bodies recorded under `tag`, in arrival order
 *   POST /authorizer         → a request authorizer (AWS event in, IAM policy out) steered by the
 *                              token / first identity source `behaviour.tag`: allow, deny,
 *                              simple-true, unauthorized-401, error-500, garbage, redirect, huge,
 *                              slow (`slow.ms`); each call counts as a hit of the token
 *   ANY  /cache/**           → a response shaped by the query (cache tests): `status`, `cc`
 *                              (Cache-Control), `etag`, `lm` (Last-Modified), `expires`, `age`,
 *                              `vary`, `cookie` (Set-Cookie), `size` (body of N bytes, with
 *                              `chunked=1` sent without Content-Length); the JSON body carries a
 *                              counter `n` (one per request to /cache/**), the path and the
 *                              `x-caller` / `x-reflect` request headers (an upstream that reflects
 *                              an unkeyed header).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface UpstreamServer {
  port: number
  close(): Promise<void>
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => {
      chunks.push(c)
    })
    req.on('end', () => {
      resolve(Buffer.concat(chunks))
    })
    req.on('error', reject)
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function startUpstream(port = 0): Promise<UpstreamServer> {
  const hits = new Map<string, number>()
  const recorded = new Map<string, unknown[]>()
  let cacheCounter = 0
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://upstream')
    const tag = req.headers['x-test-tag']
    if (typeof tag === 'string' && !url.pathname.startsWith('/hits/')) {
      hits.set(tag, (hits.get(tag) ?? 0) + 1)
    }
    const body = await readBody(req)
    const path = url.pathname
    if (path.startsWith('/hits/')) {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ hits: hits.get(decodeURIComponent(path.slice(6))) ?? 0 }))
      return
    }
    if (path === '/authorizer' && req.method === 'POST') {
      await answerAuthorizer(res, body, hits)
      return
    }
    if (path.startsWith('/record/')) {
      const tagged = decodeURIComponent(path.slice(8))
      const list = recorded.get(tagged) ?? []
      list.push(JSON.parse(body.toString('utf8')) as unknown)
      recorded.set(tagged, list)
      const subscribe = url.searchParams.get('subscribe')
      res.writeHead(Number(url.searchParams.get('status') ?? '200'), {
        'content-type': 'text/plain',
        ...(subscribe === null ? {} : { 'x-portico-subscribe': subscribe }),
      })
      res.end(url.searchParams.get('body') ?? '')
      return
    }
    if (path.startsWith('/recorded/')) {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(recorded.get(decodeURIComponent(path.slice(10))) ?? []))
      return
    }
    if (path === '/slow') {
      await sleep(Number(url.searchParams.get('ms') ?? '1000'))
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end('slow')
      return
    }
    if (path === '/slow-headers') {
      await sleep(Number(url.searchParams.get('ms') ?? '1000'))
      res.writeHead(200)
      res.end('late')
      return
    }
    if (path === '/garbage') {
      res.socket?.end('this is not HTTP at all\r\n\x00\x01\x02')
      return
    }
    if (path === '/redirect') {
      res.writeHead(302, {
        location: `http://127.0.0.1:${String(server.address() && (server.address() as AddressInfo).port)}/echo/redirected`,
      })
      res.end()
      return
    }
    if (path.startsWith('/status/')) {
      const code = Number(path.slice(8))
      res.writeHead(code, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ status: code }))
      return
    }
    if (path === '/stream') {
      const chunks = Number(url.searchParams.get('chunks') ?? '3')
      const interval = Number(url.searchParams.get('interval') ?? '100')
      res.writeHead(200, { 'content-type': 'text/plain' })
      for (let i = 0; i < chunks; i++) {
        res.write(`chunk-${String(i)}\n`)
        await sleep(interval)
      }
      res.end()
      return
    }
    if (path === '/hop') {
      res.writeHead(200, {
        'content-type': 'text/plain',
        connection: 'close, x-upstream-private',
        'x-upstream-private': 'secret',
        'keep-alive': 'timeout=5',
        'proxy-authenticate': 'Basic',
        'x-kept': 'yes',
      })
      res.end('hop')
      return
    }
    if (path.startsWith('/cache/')) {
      cacheCounter++
      writeCacheable(res, url, req, cacheCounter)
      return
    }
    // default: echo
    res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'echo' })
    res.end(
      JSON.stringify({
        method: req.method,
        path,
        rawQuery: url.search.slice(1),
        headers: req.headers,
        body: body.toString('utf8'),
      })
    )
  }
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.destroy()
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const address = server.address() as AddressInfo
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => {
          resolve()
        })
      }),
  }
}

const CACHE_HEADERS: readonly (readonly [string, string])[] = [
  ['cc', 'cache-control'],
  ['etag', 'etag'],
  ['lm', 'last-modified'],
  ['expires', 'expires'],
  ['age', 'age'],
  ['vary', 'vary'],
  ['cookie', 'set-cookie'],
]

function writeCacheable(res: ServerResponse, url: URL, req: IncomingMessage, n: number): void {
  const q = url.searchParams
  const headers: Record<string, string> = { 'x-n': String(n) }
  for (const [param, header] of CACHE_HEADERS) {
    const value = q.get(param)
    if (value !== null) headers[header] = value
  }
  const status = Number(q.get('status') ?? '200')
  const size = q.get('size')
  if (size !== null) {
    const body = Buffer.alloc(Number(size), 'a')
    headers['content-type'] = 'application/octet-stream'
    if (q.get('chunked') === '1') {
      res.writeHead(status, headers)
      const half = Math.floor(body.length / 2)
      res.write(body.subarray(0, half))
      res.end(body.subarray(half))
      return
    }
    headers['content-length'] = String(body.length)
    res.writeHead(status, headers)
    res.end(body)
    return
  }
  headers['content-type'] = 'application/json'
  res.writeHead(status, headers)
  res.end(
    JSON.stringify({
      n,
      path: url.pathname,
      caller: req.headers['x-caller'] ?? null,
      reflected: req.headers['x-reflect'] ?? null,
    })
  )
}

function authorizerToken(event: Record<string, unknown>): string {
  const { authorizationToken, identitySource } = event
  if (typeof authorizationToken === 'string') return authorizationToken.split(',')[0] ?? ''
  if (Array.isArray(identitySource) && typeof identitySource[0] === 'string') {
    return identitySource[0]
  }
  return ''
}

async function answerAuthorizer(
  res: ServerResponse,
  body: Buffer,
  hits: Map<string, number>
): Promise<void> {
  const event = JSON.parse(body.toString('utf8')) as Record<string, unknown>
  const token = authorizerToken(event)
  hits.set(token, (hits.get(token) ?? 0) + 1)
  const [behaviour, arg] = token.split('.')
  const arn = String(event.methodArn ?? event.routeArn)
  const json = (status: number, value: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(value))
  }
  const statement = (effect: string) => ({
    Action: 'execute-api:Invoke',
    Effect: effect,
    Resource: arn,
  })
  const policy = (effect: string) => ({
    principalId: 'http-user',
    policyDocument: { Version: '2012-10-17', Statement: [statement(effect)] },
    context: { via: 'http', user: 'bob' },
  })
  switch (behaviour) {
    case 'allow':
      json(200, policy('Allow'))
      return
    case 'simple-true':
      json(200, { isAuthorized: true, context: { via: 'http' } })
      return
    case 'unauthorized-401':
      json(401, { message: 'Unauthorized' })
      return
    case 'error-500':
      json(500, { message: 'crashed' })
      return
    case 'garbage':
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('<html>not json</html>')
      return
    case 'redirect':
      res.writeHead(302, { location: 'http://127.0.0.1:1/authorizer' })
      res.end()
      return
    case 'huge':
      json(200, { ...policy('Allow'), padding: 'x'.repeat(100 * 1024) })
      return
    case 'slow':
      await sleep(Number(arg ?? '3000'))
      json(200, policy('Allow'))
      return
    default:
      json(200, policy('Deny'))
  }
}

/** A loopback port with nothing listening (for "connection refused"). */
export async function findClosedPort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const port = (probe.address() as AddressInfo).port
  await new Promise<void>((resolve) =>
    probe.close(() => {
      resolve()
    })
  )
  return port
}
