// The demo's plain HTTP upstream (a tiny pets API) on 127.0.0.1, reached by the demo API's
// HTTP_PROXY and HTTP routes. Run alone with `node demo/upstream.mjs`; `npm start` starts it.
//   GET  /pets          → the pets, `?type=dog` filters
//   GET  /pets/{id}     → one pet or 404
//   POST /pets          → 201 with the JSON body echoed back plus a new id (nothing is stored)
//   ANY  anything else  → 404 {"message": "Not Found"}
// Every answer carries `x-demo-upstream: pets` and echoes a few request facts in `x-seen-*`
// headers so that what the gateway forwarded is visible with `curl -i`.
import { createServer } from 'node:http'
import { pathToFileURL } from 'node:url'

export const DEFAULT_UPSTREAM_PORT = 8788

const PETS = [
  { id: 1, type: 'dog', name: 'Rex', price: 249.99 },
  { id: 2, type: 'cat', name: 'Tom', price: 124.99 },
  { id: 3, type: 'fish', name: 'Nemo', price: 0.99 },
]

const MAX_BODY = 64 * 1024

function send(res, status, value, req) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-demo-upstream': 'pets',
    'x-seen-path': req.url ?? '',
    'x-seen-demo-header': String(req.headers['x-demo-source'] ?? ''),
  })
  res.end(JSON.stringify(value))
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let size = 0
    req.on('data', (c) => {
      size += c.length
      if (size > MAX_BODY) req.destroy(new Error('body too large'))
      else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

async function handle(req, res) {
  const url = new URL(req.url ?? '/', 'http://upstream')
  const parts = url.pathname.split('/').filter(Boolean)
  if (parts[0] !== 'pets' || parts.length > 2) return send(res, 404, { message: 'Not Found' }, req)
  if (parts.length === 1 && req.method === 'GET') {
    const type = url.searchParams.get('type')
    return send(res, 200, type ? PETS.filter((p) => p.type === type) : PETS, req)
  }
  if (parts.length === 1 && req.method === 'POST') {
    const text = await readBody(req)
    let pet
    try {
      pet = JSON.parse(text || '{}')
    } catch {
      return send(res, 400, { message: 'body must be JSON' }, req)
    }
    return send(res, 201, { id: PETS.length + 1, ...pet }, req)
  }
  if (parts.length === 2 && req.method === 'GET') {
    const pet = PETS.find((p) => String(p.id) === parts[1])
    return pet ? send(res, 200, pet, req) : send(res, 404, { message: 'pet not found' }, req)
  }
  return send(res, 405, { message: 'Method Not Allowed' }, req)
}

/** Starts the pets upstream; resolves once it listens. `port` 0 picks a free port. */
export function startDemoUpstream(port = DEFAULT_UPSTREAM_PORT) {
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy())
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve({
        port: server.address().port,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = Number(process.env.DEMO_UPSTREAM_PORT ?? DEFAULT_UPSTREAM_PORT)
  const upstream = await startDemoUpstream(port)
  console.log(`demo upstream (pets) listening on http://127.0.0.1:${upstream.port}`)
  const stop = () => {
    void upstream.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
