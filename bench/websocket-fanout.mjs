// `npm run bench:ws`: WebSocket topic fan-out through Portico. See bench/README.md ("WebSocket
// fan-out").
//
// One run, one process tree, bounded in time (watchdog) and count (every loop has a cap):
//   1. bundles the gateway (`wrangler deploy --dry-run --outdir bench/.out-ws`);
//   2. serves the bundle with the Miniflare API (as bench/run.mjs does) on a loopback port, with
//      its KV, D1 and Durable Objects (RateLimiter, WebSocketHub); the WORKER integration's
//      service binding is a function in this process that answers `join` with Portico's
//      `X-Portico-Subscribe: bench` instruction;
//   3. configures a WebSocket API through the admin API (apigatewayv2: CreateApi, integration,
//      route `join` with a route response, stage, deployment);
//   4. opens WS_BENCH_CLIENTS `ws` clients (WS_BENCH_CONNECT_CONCURRENCY at a time): connection
//      setup rate; each sends `{"action":"join"}` and waits for its answer: join rate;
//   5. broadcasts WS_BENCH_MESSAGES messages to the topic through the management API
//      (`POST /{stage}/@topics/bench`, SigV4-signed), WS_BENCH_WINDOW calls in flight; each
//      payload carries its send time, so every client measures delivery latency. Every client
//      must get every message exactly once, and in order when one call is in flight at a time;
//   6. prints a Markdown table and writes bench/results/websocket-latest.json.
//
// Env: WS_BENCH_CLIENTS (1000), WS_BENCH_MESSAGES (200), WS_BENCH_WINDOW (1),
//      WS_BENCH_CONNECT_CONCURRENCY (50), WS_BENCH_PAYLOAD_BYTES (128), WS_BENCH_PORT (18790),
//      WS_BENCH_TIMEOUT (300 s, the watchdog), BENCH_SKIP_BUNDLE=1 (reuse bench/.out-ws).
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import os from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AwsV4Signer } from 'aws4fetch'
import WebSocket from 'ws'
import { applyD1Migrations, killGroup, wranglerVars } from './lib/gateway-harness.mjs'

process.env.WRANGLER_SEND_METRICS = 'false'
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'

const BENCH_DIR = dirname(fileURLToPath(import.meta.url))
const ROOT = dirname(BENCH_DIR)
const OUT_DIR = join(BENCH_DIR, '.out-ws')
const RESULTS_DIR = join(BENCH_DIR, 'results')

function envInt(name, fallback, min, max) {
  const raw = (process.env[name] ?? String(fallback)).trim()
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN
  if (!(value >= min && value <= max)) {
    console.error(`[bench:ws] ${name} must be an integer from ${min} to ${max} (got ${raw})`)
    process.exit(2)
  }
  return value
}

const OPTS = {
  clients: envInt('WS_BENCH_CLIENTS', 1000, 1, 5000),
  messages: envInt('WS_BENCH_MESSAGES', 200, 1, 10_000),
  window: envInt('WS_BENCH_WINDOW', 1, 1, 64),
  connectConcurrency: envInt('WS_BENCH_CONNECT_CONCURRENCY', 50, 1, 500),
  payloadBytes: envInt('WS_BENCH_PAYLOAD_BYTES', 128, 64, 65_536),
  port: envInt('WS_BENCH_PORT', 18790, 1024, 65_000),
  timeoutS: envInt('WS_BENCH_TIMEOUT', 300, 30, 1800),
  skipBundle: process.env.BENCH_SKIP_BUNDLE === '1',
}

const COMPATIBILITY_DATE = '2026-08-01'
const STAGE = 'bench'
const TOPIC = 'bench'
const ADMIN_HOST = 'admin.localhost'
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef0123456789'
const ACCESS_KEY_ID = 'AKIABENCHWEBSOCKET01'
const SECRET_ACCESS_KEY = 'benchwebsocketsecret0123456789abcdef0123'
/** Answers must arrive within this after the last broadcast returned, or count as missing. */
const DRAIN_MS = 30_000

const log = (line = '') => console.error(`[bench:ws] ${line}`)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const now = () => performance.timeOrigin + performance.now()
// eslint-disable-next-line no-control-regex
const stripAnsi = (s) => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')

// ---------------------------------------------------------------------------------------------
// Everything started here is stopped on every exit path
// ---------------------------------------------------------------------------------------------

const running = { procs: new Set(), miniflare: undefined, sockets: [], cleaning: undefined }

function cleanup() {
  running.cleaning ??= (async () => {
    for (const ws of running.sockets) ws.terminate()
    for (const child of running.procs) killGroup(child)
    if (running.miniflare) {
      await Promise.race([running.miniflare.dispose(), sleep(15_000)]).catch(() => undefined)
    }
  })()
  return running.cleaning
}

async function exitWith(code, message) {
  if (message) log(message)
  await cleanup()
  process.exit(code)
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => void exitWith(130, `${signal}: stopping`))
}
process.on('uncaughtException', (e) => void exitWith(1, `uncaught: ${e?.stack ?? e}`))
process.on('unhandledRejection', (e) => void exitWith(1, `unhandled rejection: ${e?.stack ?? e}`))
setTimeout(
  () => void exitWith(4, `watchdog: the run exceeded WS_BENCH_TIMEOUT=${OPTS.timeoutS}s`),
  OPTS.timeoutS * 1000
).unref()

// ---------------------------------------------------------------------------------------------
// Gateway: bundle + Miniflare
// ---------------------------------------------------------------------------------------------

function runToEnd(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    running.procs.add(child)
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    const timer = setTimeout(() => killGroup(child), timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      running.procs.delete(child)
      resolve({ code, output: stripAnsi(output) })
    })
  })
}

async function bundleGateway() {
  if (!OPTS.skipBundle) {
    rmSync(OUT_DIR, { recursive: true, force: true })
    log('bundling the gateway: wrangler deploy --dry-run --outdir bench/.out-ws …')
    const args = ['--no-install', 'wrangler', 'deploy', '--dry-run', '--outdir', OUT_DIR]
    const r = await runToEnd('npx', args, 180_000)
    if (r.code !== 0) throw new Error(`bundle failed:\n${r.output.slice(-1500)}`)
  }
  const main = existsSync(OUT_DIR) ? readdirSync(OUT_DIR).find((f) => f === 'index.js') : undefined
  if (main === undefined)
    throw new Error('no bundle in bench/.out-ws (run without BENCH_SKIP_BUNDLE)')
  return join(OUT_DIR, main)
}

/** The `join` route's backend: a Lambda-style answer subscribing the caller to the topic. */
function joinBackend() {
  return Response.json({
    statusCode: 200,
    headers: { 'x-portico-subscribe': TOPIC },
    body: '{"joined":true}',
  })
}

async function startGateway(scriptPath) {
  const { Miniflare, convertV4MiniflareOptions } = await import('miniflare')
  const options = convertV4MiniflareOptions({
    host: '127.0.0.1',
    port: OPTS.port,
    logRequests: false,
    verbose: false,
    cf: false,
    modules: true,
    compatibilityDate: COMPATIBILITY_DATE,
    name: 'portico',
    scriptPath,
    kvNamespaces: ['ROUTES'],
    d1Databases: ['DB'],
    durableObjects: {
      RATE_LIMITER: { className: 'RateLimiter', useSQLite: true },
      WEBSOCKET_HUB: { className: 'WebSocketHub', useSQLite: true },
    },
    bindings: {
      ...wranglerVars(ROOT),
      ADMIN_TOKEN,
      ADMIN_ACCESS_KEY_ID: ACCESS_KEY_ID,
      ADMIN_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
    },
    serviceBindings: { DEMO_BACKEND: joinBackend },
  })
  const mf = new Miniflare(options)
  running.miniflare = mf
  await Promise.race([
    mf.ready,
    sleep(90_000).then(() => Promise.reject(new Error('gateway start timed out'))),
  ])
  // The admin plane records an audit row per write in D1.
  await applyD1Migrations(mf, ROOT)
}

// ---------------------------------------------------------------------------------------------
// HTTP to the gateway (admin plane and management API)
// ---------------------------------------------------------------------------------------------

const agent = new Agent({ keepAlive: true, maxSockets: 64 })

function call({ method, host, path, headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: OPTS.port, method, path, agent, headers: { host, ...headers } },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (d) => (text += d))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      }
    )
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)))
    req.on('error', reject)
    req.end(body)
  })
}

async function admin(method, path, body) {
  const text = body === undefined ? undefined : JSON.stringify(body)
  const res = await call({
    method,
    host: ADMIN_HOST,
    path,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(text === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: text,
  })
  if (res.status < 200 || res.status > 299) {
    throw new Error(`admin ${method} ${path} → ${res.status} ${res.text.slice(0, 300)}`)
  }
  return res.text === '' ? undefined : JSON.parse(res.text)
}

/** The benchmark's WebSocket API, configured as a user would with apigatewayv2. */
async function configureApi() {
  const api = await admin('POST', '/v2/apis', {
    name: 'portico-ws-bench',
    protocolType: 'WEBSOCKET',
    routeSelectionExpression: '$request.body.action',
    // All 1,000 clients come from 127.0.0.1: above the default 500 new connections/s per IP. The
    // limiter is still consulted on every handshake (its cost is in the numbers).
    webSocket: { newConnectionsPerSecond: 100000 },
  })
  const apiId = api.apiId
  const integration = await admin('POST', `/v2/apis/${apiId}/integrations`, {
    integrationType: 'WORKER',
    integrationUri: 'worker://DEMO_BACKEND',
  })
  const route = await admin('POST', `/v2/apis/${apiId}/routes`, {
    routeKey: 'join',
    target: `integrations/${integration.integrationId}`,
    routeResponseSelectionExpression: '$default',
  })
  await admin('POST', `/v2/apis/${apiId}/routes/${route.routeId}/routeresponses`, {
    routeResponseKey: '$default',
  })
  await admin('POST', `/v2/apis/${apiId}/stages`, { stageName: STAGE })
  await admin('POST', `/v2/apis/${apiId}/deployments`, { stageName: STAGE })
  return apiId
}

/** `POST /{stage}/@topics/{topic}`, SigV4-signed as the management API requires. */
async function broadcast(host, body) {
  const path = `/${STAGE}/@topics/${TOPIC}`
  const signer = new AwsV4Signer({
    method: 'POST',
    url: `http://${host}${path}`,
    headers: { host },
    body,
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET_ACCESS_KEY,
    service: 'execute-api',
    region: 'us-east-1',
  })
  const signed = await signer.sign()
  const headers = Object.fromEntries(signed.headers)
  delete headers.host
  const res = await call({ method: 'POST', host, path, headers, body })
  if (res.status !== 200) throw new Error(`broadcast → ${res.status} ${res.text.slice(0, 300)}`)
  return JSON.parse(res.text)
}

// ---------------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------------

/** One client: its socket, the join answer and every broadcast it received. */
function openClient(host) {
  return new Promise((resolve, reject) => {
    const started = now()
    const ws = new WebSocket(`ws://127.0.0.1:${OPTS.port}/${STAGE}`, {
      headers: { host },
      perMessageDeflate: false,
    })
    running.sockets.push(ws)
    const client = { ws, setupMs: 0, joined: undefined, seqs: [], latencies: [], closed: false }
    let onJoined
    client.joinedPromise = new Promise((r) => (onJoined = r))
    ws.on('message', (data) => {
      const at = now()
      const text = data.toString('utf8')
      if (client.joined === undefined) {
        client.joined = at
        onJoined(text)
        return
      }
      const { seq, t } = JSON.parse(text)
      client.seqs.push(seq)
      client.latencies.push(at - t)
    })
    ws.once('open', () => {
      client.setupMs = now() - started
      resolve(client)
    })
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`connect answered ${res.statusCode}`))
    )
    ws.once('error', reject)
    ws.on('close', () => (client.closed = true))
  })
}

/** Runs `task(i)` for i in 0..count-1 with at most `limit` in flight; resolves in index order. */
async function pool(count, limit, task) {
  const results = new Array(count)
  let next = 0
  async function worker() {
    while (next < count) {
      const i = next++
      results[i] = await task(i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker))
  return results
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

async function main() {
  const scriptPath = await bundleGateway()
  await startGateway(scriptPath)
  const apiId = await configureApi()
  const host = `${apiId}.execute-api.localhost`
  log(`gateway on 127.0.0.1:${OPTS.port}, WebSocket API ${apiId} stage ${STAGE}`)

  log(`connecting ${OPTS.clients} clients (${OPTS.connectConcurrency} at a time)…`)
  const connectStart = now()
  const clients = await pool(OPTS.clients, OPTS.connectConcurrency, () => openClient(host))
  const connectS = (now() - connectStart) / 1000

  const joinStart = now()
  await pool(OPTS.clients, OPTS.connectConcurrency, async (i) => {
    const client = clients[i]
    client.ws.send('{"action":"join"}')
    const answer = await client.joinedPromise
    if (answer !== '{"joined":true}') throw new Error(`join answered ${answer}`)
  })
  const joinS = (now() - joinStart) / 1000
  log(`connected in ${round(connectS, 2)} s, joined in ${round(joinS, 2)} s`)

  const pad = 'x'.repeat(Math.max(0, OPTS.payloadBytes - 60))
  const payload = (seq) => JSON.stringify({ seq, t: now(), pad })
  // Warm-up: one broadcast, every client must get it (the hubs and the route are hot after).
  const warm = await broadcast(host, payload(-1))
  if (warm.delivered !== OPTS.clients) {
    throw new Error(`warm-up delivered to ${warm.delivered} of ${OPTS.clients} subscribers`)
  }
  const received = () => clients.reduce((n, c) => n + c.seqs.length, 0)
  for (let i = 0; i < 200 && received() < OPTS.clients; i++) await sleep(50)
  for (const c of clients) {
    c.seqs.length = 0
    c.latencies.length = 0
  }

  log(`broadcasting ${OPTS.messages} messages (${OPTS.window} calls in flight)…`)
  const callMs = []
  let dropped = 0
  const sendStart = now()
  await pool(OPTS.messages, OPTS.window, async (seq) => {
    const started = now()
    const result = await broadcast(host, payload(seq))
    callMs.push(now() - started)
    dropped += result.dropped
  })
  const sendEnd = now()
  const want = OPTS.clients * OPTS.messages
  for (let i = 0; i < DRAIN_MS / 50 && received() < want; i++) await sleep(50)
  const lastAt = now()
  const delivered = received()

  // Exactly once and in order per connection (order holds for calls not in flight together).
  let duplicates = 0
  let missing = 0
  let outOfOrder = 0
  for (const c of clients) {
    const seen = new Set(c.seqs)
    duplicates += c.seqs.length - seen.size
    missing += OPTS.messages - seen.size
    for (let i = 1; i < c.seqs.length; i++) if (c.seqs[i] < c.seqs[i - 1]) outOfOrder++
  }
  const latencies = clients.flatMap((c) => c.latencies).sort((a, b) => a - b)
  const setups = clients.map((c) => c.setupMs).sort((a, b) => a - b)
  callMs.sort((a, b) => a - b)
  const fanoutS = (Math.min(lastAt, sendEnd + DRAIN_MS) - sendStart) / 1000

  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      loadavg: os.loadavg().map((x) => round(x, 2)),
      node: process.version,
    },
    options: OPTS,
    connect: {
      clients: OPTS.clients,
      seconds: round(connectS, 3),
      perSecond: round(OPTS.clients / connectS),
      setupP50Ms: round(percentile(setups, 50)),
      setupP99Ms: round(percentile(setups, 99)),
      joinPerSecond: round(OPTS.clients / joinS),
    },
    fanout: {
      broadcasts: OPTS.messages,
      expectedDeliveries: want,
      delivered,
      dropped,
      duplicates,
      missing,
      outOfOrder,
      seconds: round(fanoutS, 3),
      deliveredPerSecond: round(delivered / fanoutS),
      broadcastsPerSecond: round(OPTS.messages / ((sendEnd - sendStart) / 1000)),
      latencyP50Ms: round(percentile(latencies, 50)),
      latencyP90Ms: round(percentile(latencies, 90)),
      latencyP99Ms: round(percentile(latencies, 99)),
      latencyMaxMs: round(latencies[latencies.length - 1] ?? NaN),
      callP50Ms: round(percentile(callMs, 50)),
      callP99Ms: round(percentile(callMs, 99)),
    },
  }
  mkdirSync(RESULTS_DIR, { recursive: true })
  writeFileSync(join(RESULTS_DIR, 'websocket-latest.json'), `${JSON.stringify(result, null, 2)}\n`)

  const f = result.fanout
  const k = result.connect
  console.log(
    [
      '',
      `| metric | value |`,
      `| --- | --- |`,
      `| clients on one topic | ${k.clients} |`,
      `| connection setup | ${k.perSecond} connections/s (p50 ${k.setupP50Ms} ms, p99 ${k.setupP99Ms} ms per handshake, ${OPTS.connectConcurrency} in flight) |`,
      `| join (route → WORKER → subscribe) | ${k.joinPerSecond} joins/s |`,
      `| broadcasts | ${f.broadcasts} × ${OPTS.payloadBytes} B, ${OPTS.window} in flight: ${f.broadcastsPerSecond} broadcasts/s (call p50 ${f.callP50Ms} ms, p99 ${f.callP99Ms} ms) |`,
      `| messages delivered | ${f.delivered} of ${f.expectedDeliveries} (${f.deliveredPerSecond} messages/s) |`,
      `| delivery latency | p50 ${f.latencyP50Ms} ms, p90 ${f.latencyP90Ms} ms, p99 ${f.latencyP99Ms} ms, max ${f.latencyMaxMs} ms |`,
      `| duplicates / missing / out of order / dropped | ${f.duplicates} / ${f.missing} / ${f.outOfOrder} / ${f.dropped} |`,
      '',
      `machine: ${result.machine.cpus} × ${result.machine.cpuModel}, load ${result.machine.loadavg.join(' ')}, node ${result.machine.node}`,
    ].join('\n')
  )
  // Order is only promised for broadcasts that were not in flight together.
  const ordered = OPTS.window > 1 || f.outOfOrder === 0
  const ok = f.duplicates === 0 && f.missing === 0 && f.dropped === 0 && ordered
  await exitWith(ok ? 0 : 3, ok ? undefined : 'messages lost, duplicated or reordered (see table)')
}

main().catch((e) => void exitWith(1, `failed: ${e?.stack ?? e}`))
