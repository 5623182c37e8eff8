// `npm run bench`: Portico's reproducible throughput/latency benchmark. See bench/README.md.
//
// One run, one process tree:
//   1. installs wrk with apt when it is missing;
//   2. bundles the gateway (`wrangler deploy --dry-run --outdir bench/.out`) and measures the
//      bundle's gzip size;
//   3. pins itself (and so every server it starts, workerd included) to the first allowed core,
//      then starts: a tiny node:http upstream, the bare Worker (bench/bare-worker.js) and the
//      gateway bundle, each Worker in its own Miniflare instance (Miniflare API, not
//      `wrangler dev`) on a fixed loopback port; seeds a benchmark API into the gateway's KV;
//   4. runs wrk (pinned to the second core) against each target in turn, same parameters,
//      a short warm-up first, and prints a Markdown table + writes bench/results/latest.json.
// Every child (wrk, wrangler, workerd) is stopped on every exit path, and the run is bounded
// in time by a watchdog.
//
// Env: BENCH_DURATION (10s), BENCH_WARMUP (2s), BENCH_CONNECTIONS (32), BENCH_THREADS (1),
//      BENCH_PORT (18780: upstream; +1 bare Worker; +2 gateway), BENCH_STRICT=1 (exit 3 when a
//      target is missed), BENCH_SKIP_BUNDLE=1 (reuse bench/.out), BENCH_ROUNDS (1: run every
//      target N times, in turn, and report medians).
import { spawn, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createServer, request as httpRequest } from 'node:http'
import net from 'node:net'
import os from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { applyD1Migrations, killGroup, wranglerVars } from './lib/gateway-harness.mjs'

process.env.WRANGLER_SEND_METRICS = 'false'
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'

const BENCH_DIR = dirname(fileURLToPath(import.meta.url))
const ROOT = dirname(BENCH_DIR)
const OUT_DIR = join(BENCH_DIR, '.out')
const RESULTS_DIR = join(BENCH_DIR, 'results')
const LUA_SCRIPT = join(BENCH_DIR, 'report.lua')
const STATUS_LUA_SCRIPT = join(BENCH_DIR, 'report-statuses.lua')
const POST_LUA_SCRIPT = join(BENCH_DIR, 'report-post.lua')
const FRESH_KEY_LUA_SCRIPT = join(BENCH_DIR, 'report-fresh-key.lua')
const BARE_WORKER = join(BENCH_DIR, 'bare-worker.js')

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

function envSeconds(name, fallback, max) {
  const raw = (process.env[name] ?? fallback).trim()
  const m = /^(\d+)(s|m)?$/.exec(raw)
  const value = m ? Number(m[1]) * (m[2] === 'm' ? 60 : 1) : NaN
  if (!(value >= 1 && value <= max))
    usage(`${name} must be whole seconds from 1 to ${max} (got ${raw})`)
  return value
}

function envInt(name, fallback, min, max) {
  const raw = (process.env[name] ?? String(fallback)).trim()
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN
  if (!(value >= min && value <= max)) usage(`${name} must be an integer from ${min} to ${max}`)
  return value
}

function usage(message) {
  console.error(`[bench] ${message}`)
  process.exit(2)
}

const OPTS = {
  durationS: envSeconds('BENCH_DURATION', '10s', 300),
  warmupS: envSeconds('BENCH_WARMUP', '2s', 60),
  connections: envInt('BENCH_CONNECTIONS', 32, 1, 1000),
  threads: envInt('BENCH_THREADS', 1, 1, 64),
  rounds: envInt('BENCH_ROUNDS', 1, 1, 10),
  portBase: envInt('BENCH_PORT', 18780, 1024, 65000),
  strict: process.env.BENCH_STRICT === '1',
  skipBundle: process.env.BENCH_SKIP_BUNDLE === '1',
  overgrantS: envSeconds('BENCH_OVERGRANT_DURATION', '5s', 60),
}
if (OPTS.threads > OPTS.connections) usage('BENCH_THREADS must not exceed BENCH_CONNECTIONS')

const PORTS = { upstream: OPTS.portBase, bare: OPTS.portBase + 1, gateway: OPTS.portBase + 2 }

/** The issues' targets (performance issue; issue 3: lease-mode throughput vs no limits). */
const TARGETS = {
  rpsRatioMin: 0.9,
  addedP50MsMax: 0.1,
  bundleGzipKiBMax: 150,
  leaseRpsRatioMin: 0.8,
}
/** Connections of the over-grant phase (fixed: it is about concurrency, not BENCH_CONNECTIONS). */
const OVERGRANT_CONNECTIONS = 32

const COMPATIBILITY_DATE = '2026-08-01'
const API_ID = 'benchapi01'
const STAGE = 'bench'
const DEPLOYMENT_ID = 'benchdep01'
const GATEWAY_HOST = `${API_ID}.execute-api.localhost`
// Response cache rows: a second stage of the same deployment with the stage cache on and caching
// enabled for `GET /cached/{proxy+}` only (TTL 3600, key parameter `k`); its `ANY /{proxy+}` is
// the uncached route beside it.
const CACHE_STAGE = 'benchcache'
const UPSTREAM_BODY = JSON.stringify({ ok: true, from: 'bench-upstream' })
// Access control (issue 4): a JWT-protected route and a validated route beside the same
// HTTP_PROXY integration without them. The signing key is made per run; the upstream serves its
// JWKS (fetched once by the gateway, then cached in the isolate).
const JWT_ISSUER = 'https://issuer.bench.portico.test'
const JWT_AUDIENCE = 'portico-bench'
const JWKS_PATH = '/.well-known/jwks.json'
let jwksBody = '{"keys":[]}'
// One body for the probe and for wrk (bench/report-post.lua reads it from the environment).
const POST_BODY = JSON.stringify({ id: 42, name: 'Rex', tag: 'dog', owner: { name: 'Ada' } })
const PET_SCHEMA = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  type: 'object',
  required: ['id', 'name'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer', minimum: 1 },
    name: { type: 'string', minLength: 1, maxLength: 64 },
    tag: { type: 'string', enum: ['dog', 'cat', 'fish'] },
    owner: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', pattern: '^[A-Za-z ]{1,64}$' } },
    },
  },
}
/** `BENCH_ONLY=gateway,gatewayJwt` runs only those targets (and their 1-connection twins). */
const ONLY = new Set(
  (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
)
const CONST_BODY = '{"ok":true}'

// Usage plans + keys seeded into the gateway's D1 (migrations/0002 columns), all covering
// benchapi01/bench and used on the keyed route `ANY /limited/{proxy+}` (same HTTP_PROXY
// integration as the unlimited `ANY /{proxy+}`): the key picks the plan, so the throttled rows
// differ from the unlimited one only by the API-key + throttle steps. `upstreamPath` is where the
// upstream sees that key's requests (it counts them: admitted = forwarded).
// Lease mode needs rateLimit ≥ 100 and burstLimit ≥ 100 (src/policies/throttle/lease-admit.ts).
const BENCH_PLANS = {
  strict: {
    planId: 'benchplanstrict',
    keyId: 'benchkeystrict',
    key: 'ptk_bench_strict_0123456789abcdef0123456789abcdef',
    throttle: { rateLimit: 50_000, burstLimit: 50 }, // burst < 100: one DO consume per request
    upstreamPath: '/hello-strict',
  },
  lease: {
    planId: 'benchplanlease',
    keyId: 'benchkeylease',
    key: 'ptk_bench_lease_0123456789abcdef0123456789abcdef',
    throttle: { rateLimit: 100_000, burstLimit: 10_000 }, // leases of 1 000 tokens
    upstreamPath: '/hello-lease',
  },
  // Over-grant phase (lease mode under 32 connections, no warm-up, each key used once per run):
  // a small bucket whose throttle binds (the quota does not within the window) …
  ogThrottle: {
    planId: 'benchplanogthrottle',
    keyId: 'benchkeyogthrottle',
    key: 'ptk_bench_ogthrottle_0123456789abcdef0123456789abcdef',
    throttle: { rateLimit: 100, burstLimit: 100 },
    quota: { limit: 2_000, period: 'DAY', offset: 0 },
    upstreamPath: '/og-throttle',
  },
  // … and one whose quota binds (leases of 100 tokens, debited from the quota at grant).
  ogQuota: {
    planId: 'benchplanogquota',
    keyId: 'benchkeyogquota',
    key: 'ptk_bench_ogquota_0123456789abcdef0123456789abcdef',
    throttle: { rateLimit: 1_000, burstLimit: 1_000 },
    quota: { limit: 500, period: 'DAY', offset: 0 },
    upstreamPath: '/og-quota',
  },
}

const log = (line = '') => console.error(`[bench] ${line}`)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
// eslint-disable-next-line no-control-regex
const stripAnsi = (s) => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')

// ---------------------------------------------------------------------------------------------
// Children and cleanup: everything started here is recorded and stopped on every exit path
// ---------------------------------------------------------------------------------------------

const running = {
  /** Child processes we spawned (each leads its own process group). */
  procs: new Set(),
  /** Miniflare instances (each owns one workerd child). */
  miniflares: [],
  upstream: undefined,
  cleaning: undefined,
}

function withTimeout(promise, ms, what) {
  let timer
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

/** Direct children of this process, from /proc (pid + command name). */
function childProcesses() {
  const out = []
  let entries = []
  try {
    entries = readdirSync('/proc')
  } catch {
    return out
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      const comm = stat.slice(stat.indexOf('(') + 1, close)
      const ppid = Number(stat.slice(close + 2).split(' ')[1])
      if (ppid === process.pid) out.push({ pid: Number(entry), comm })
    } catch {
      /* exited meanwhile */
    }
  }
  return out
}

/** CPU time (ns) a process has used, all threads: sum of the first field of /proc/<pid>/task/<tid>/schedstat. */
function cpuNs(pid) {
  if (pid === undefined) return 0
  let total = 0
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0])
      } catch {
        /* thread exited */
      }
    }
  } catch {
    return NaN
  }
  return total
}

function cleanup() {
  running.cleaning ??= (async () => {
    for (const child of running.procs) killGroup(child)
    await Promise.allSettled(
      running.miniflares.map((mf) => withTimeout(mf.dispose(), 15_000, 'miniflare dispose'))
    )
    if (running.upstream) {
      running.upstream.closeAllConnections()
      running.upstream.close()
    }
    // Belt and braces: nothing we started may outlive us (workerd above all).
    for (let i = 0; i < 20; i++) {
      const left = childProcesses()
      if (left.length === 0) return
      if (i === 10) {
        log(`stopping leftover children: ${left.map((p) => `${p.comm}(${p.pid})`).join(', ')}`)
        for (const p of left) {
          try {
            process.kill(p.pid, 'SIGKILL')
          } catch {
            /* gone */
          }
        }
      }
      await sleep(100)
    }
  })()
  return running.cleaning
}

async function exitWith(code, message) {
  if (message) log(message)
  try {
    await withTimeout(cleanup(), 30_000, 'cleanup')
  } catch (e) {
    log(String(e))
  }
  process.exit(code)
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => void exitWith(130, `${signal}: stopping`))
}
process.on('uncaughtException', (e) => void exitWith(1, `uncaught: ${e?.stack ?? e}`))
process.on('unhandledRejection', (e) => void exitWith(1, `unhandled rejection: ${e?.stack ?? e}`))

/**
 * Run a command to completion in its own process group, capturing output; the group is killed
 * when `timeoutMs` passes or the run is aborted.
 */
function run(cmd, args, { timeoutMs, cwd = ROOT, env = process.env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    running.procs.add(child)
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => {
      timedOut = true
      killGroup(child)
    }, timeoutMs)
    const done = (code, error) => {
      clearTimeout(timer)
      running.procs.delete(child)
      resolve({ code, stdout, stderr, timedOut, error })
    }
    child.on('error', (e) => done(-1, e))
    child.on('close', (code, signal) => done(code ?? (signal ? 128 : -1)))
  })
}

// ---------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0
}

async function ensureWrk() {
  if (hasCommand('wrk')) return
  log('wrk not found: installing it with apt (apt-get update, apt-get install -y wrk)…')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const update = await run('apt-get', ['update'], { timeoutMs: 180_000, env })
  if (update.code !== 0) throw new Error(`apt-get update failed:\n${update.stderr.slice(-800)}`)
  const install = await run('apt-get', ['install', '-y', 'wrk'], { timeoutMs: 180_000, env })
  if (install.code !== 0 || !hasCommand('wrk')) {
    throw new Error(`apt-get install -y wrk failed:\n${install.stderr.slice(-800)}`)
  }
}

/** `wrangler deploy --dry-run --outdir bench/.out`, then the bundle's sizes. */
async function bundleGateway() {
  let wranglerReported = null
  if (!OPTS.skipBundle) {
    rmSync(OUT_DIR, { recursive: true, force: true })
    log('bundling the gateway: wrangler deploy --dry-run --outdir bench/.out …')
    const r = await run(
      'npx',
      ['--no-install', 'wrangler', 'deploy', '--dry-run', '--outdir', OUT_DIR],
      {
        timeoutMs: 180_000,
      }
    )
    const output = stripAnsi(r.stdout + r.stderr)
    if (r.code !== 0) {
      const errorAt = output.search(/ERROR|✘/)
      const excerpt = (errorAt >= 0 ? output.slice(errorAt) : output.slice(-1200)).trim()
      return { ok: false, error: excerpt.split('\n').slice(0, 14).join('\n').slice(0, 1500) }
    }
    wranglerReported = /Total Upload:\s*([\d.]+ KiB)\s*\/\s*gzip:\s*([\d.]+ KiB)/.exec(output)
  }
  const files = existsSync(OUT_DIR)
    ? readdirSync(OUT_DIR).filter((f) => /\.(m?js|cjs|wasm)$/.test(f))
    : []
  const main = files.find((f) => f === 'index.js') ?? files.find((f) => /\.m?js$/.test(f))
  if (main === undefined) return { ok: false, error: `no bundle in ${relative(ROOT, OUT_DIR)}` }
  let rawBytes = 0
  let gzipBytes = 0
  for (const f of files) {
    const buf = readFileSync(join(OUT_DIR, f))
    rawBytes += buf.length
    gzipBytes += gzipSync(buf).length // zlib default level (6), like wrangler's own figure
  }
  return {
    ok: true,
    scriptPath: join(OUT_DIR, main),
    modules: files,
    rawBytes,
    gzipBytes,
    gzipKiB: round(gzipBytes / 1024, 2),
    rawKiB: round(rawBytes / 1024, 2),
    ...(wranglerReported
      ? { wranglerReported: `${wranglerReported[1]} / gzip ${wranglerReported[2]}` }
      : {}),
  }
}

/** Allowed CPUs of this process (from `taskset -cp`), e.g. [0, 1]. */
function allowedCpus() {
  const r = spawnSync('taskset', ['-cp', String(process.pid)], { encoding: 'utf8' })
  if (r.status !== 0) return []
  const list = /:\s*([\d,\s-]+)$/.exec(r.stdout.trim())?.[1] ?? ''
  const cpus = []
  for (const part of list.split(',')) {
    const [a, b] = part.trim().split('-').map(Number)
    for (let c = a; c <= (b ?? a); c++) cpus.push(c)
  }
  return cpus
}

/**
 * Servers on one core, wrk on another: this process (the upstream lives in it) and every child
 * it starts afterwards (workerd inherits the mask) go to the first allowed CPU; wrk is started
 * under `taskset -c <second CPU>`.
 */
function pinServers() {
  if (!hasCommand('taskset')) return { pinned: false, reason: 'taskset not found' }
  const cpus = allowedCpus()
  if (cpus.length < 2) return { pinned: false, reason: `only ${cpus.length} CPU(s) allowed` }
  const [serverCpu, wrkCpu] = cpus
  const r = spawnSync('taskset', ['-a', '-cp', String(serverCpu), String(process.pid)], {
    encoding: 'utf8',
  })
  if (r.status !== 0) return { pinned: false, reason: `taskset failed: ${r.stderr.trim()}` }
  return { pinned: true, serverCpu, wrkCpu, allowedCpus: cpus }
}

function assertPortFree(port) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', () =>
      reject(new Error(`port ${port} is in use (set BENCH_PORT to another base port)`))
    )
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()))
  })
}

/** TCP connections the upstream accepted (does the Worker's fetch reuse connections?). */
const upstreamStats = { connections: 0, requests: 0, byPath: new Map(), times: new Map() }
/** Paths whose arrival times the upstream records (the over-grant phase: sliding windows). */
const TIMED_PATHS = new Set()

async function startUpstream(port) {
  await assertPortFree(port)
  const body = Buffer.from(UPSTREAM_BODY)
  const server = createServer((req, res) => {
    req.resume()
    upstreamStats.requests++
    upstreamStats.byPath.set(req.url, (upstreamStats.byPath.get(req.url) ?? 0) + 1)
    if (TIMED_PATHS.has(req.url)) upstreamStats.times.get(req.url).push(performance.now())
    if (req.url === JWKS_PATH) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' })
      res.end(jwksBody)
      return
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
    res.end(body)
  })
  server.keepAliveTimeout = 120_000
  server.on('connection', () => upstreamStats.connections++)
  running.upstream = server
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  return server
}

const workerLogs = {}
/** label → pid of the workerd process serving it. */
const workerdPids = {}

async function startMiniflare(label, port, workerOptions) {
  await assertPortFree(port)
  const { Miniflare, convertV4MiniflareOptions } = await import('miniflare')
  workerLogs[label] = { count: 0, first: [] }
  const options = convertV4MiniflareOptions({
    host: '127.0.0.1',
    port,
    // Miniflare logs every request through a loopback call into Node by default: off, or it
    // would measure Miniflare rather than the Worker.
    logRequests: false,
    verbose: false,
    cf: false,
    handleStructuredLogs: (entry) => {
      const logs = workerLogs[label]
      logs.count++
      if (logs.first.length < 5) logs.first.push(String(entry?.message ?? JSON.stringify(entry)))
    },
    modules: true,
    compatibilityDate: COMPATIBILITY_DATE,
    ...workerOptions,
  })
  const before = new Set(childProcesses().map((p) => p.pid))
  const mf = new Miniflare(options)
  running.miniflares.push(mf)
  await withTimeout(mf.ready, 90_000, `${label} worker start`)
  // The workerd process serving this instance: CPU per request is read from it.
  workerdPids[label] = childProcesses().find((p) => p.comm === 'workerd' && !before.has(p.pid))?.pid
  return mf
}

/** The benchmark API, written straight into KV as a user with `wrangler kv` would. */
async function seedGateway(mf, upstreamPort) {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  const api = {
    schemaVersion: 1,
    id: API_ID,
    name: 'portico-bench',
    protocolType: 'REST',
    createdDate: now,
    allowLoopbackUpstreams: true,
    routes: [
      { id: 'rproxy', routeKey: 'ANY /{proxy+}', integrationId: 'iproxy' },
      { id: 'rmock', routeKey: 'GET /mock', integrationId: 'imock' },
      // Cached on stage benchcache (routeSettings below); one entry per `?k=` value.
      {
        id: 'rcached',
        routeKey: 'GET /cached/{proxy+}',
        integrationId: 'iproxy',
        cacheKeyParameters: ['method.request.querystring.k'],
      },
      // Access control: the same integration as `ANY /{proxy+}`, with a JWT authorizer / with a
      // body + parameter validator (POSTs to other paths are the unvalidated twin).
      {
        id: 'rjwt',
        routeKey: 'ANY /jwt/{proxy+}',
        integrationId: 'iproxy',
        authorizationType: 'JWT',
        authorizerId: 'ajwt',
      },
      {
        id: 'rvalid',
        routeKey: 'POST /validated/{proxy+}',
        integrationId: 'iproxy',
        requestValidatorId: 'vall',
        requestModels: { 'application/json': 'Pet' },
      },
      // Keyed + throttled: the same integration as `ANY /{proxy+}`; the key picks the plan.
      {
        id: 'rlimited',
        routeKey: 'ANY /limited/{proxy+}',
        integrationId: 'iproxy',
        apiKeyRequired: true,
      },
    ],
    integrations: [
      {
        id: 'iproxy',
        type: 'HTTP_PROXY',
        integrationMethod: 'ANY',
        integrationUri: `http://127.0.0.1:${upstreamPort}/{proxy}`,
      },
      {
        id: 'imock',
        type: 'MOCK',
        mockResponse: {
          statusCode: 200,
          headers: { 'content-type': 'application/json' },
          body: CONST_BODY,
        },
      },
    ],
    authorizers: [
      {
        id: 'ajwt',
        name: 'bench-jwt',
        authorizerType: 'JWT',
        identitySource: ['$request.header.Authorization'],
        jwtConfiguration: {
          issuer: JWT_ISSUER,
          audience: [JWT_AUDIENCE],
          jwksUri: `http://127.0.0.1:${upstreamPort}${JWKS_PATH}`,
          algorithms: ['RS256'],
        },
      },
    ],
    models: [{ id: 'mpet', name: 'Pet', contentType: 'application/json', schema: PET_SCHEMA }],
    requestValidators: [
      { id: 'vall', name: 'all', validateRequestBody: true, validateRequestParameters: true },
    ],
  }
  const deployment = {
    schemaVersion: 1,
    id: DEPLOYMENT_ID,
    apiId: API_ID,
    createdDate: now,
    api,
  }
  const stage = {
    schemaVersion: 1,
    apiId: API_ID,
    stageName: STAGE,
    deploymentId: DEPLOYMENT_ID,
    createdDate: now,
    lastUpdatedDate: now,
  }
  const cacheStage = {
    ...stage,
    stageName: CACHE_STAGE,
    cacheClusterEnabled: true,
    routeSettings: { 'GET /cached/{proxy+}': { cachingEnabled: true, cacheTtlInSeconds: 3600 } },
  }
  // Key layout: src/storage/config-store.ts (KV_KEYS).
  const kv = await mf.getKVNamespace('ROUTES')
  await kv.put(`stage/${API_ID}/${CACHE_STAGE}`, JSON.stringify(cacheStage))
  await kv.put(`api/${API_ID}`, JSON.stringify(api))
  await kv.put(`deployment/${API_ID}/${DEPLOYMENT_ID}`, JSON.stringify(deployment))
  await kv.put(`stage/${API_ID}/${STAGE}`, JSON.stringify(stage))
}

/** SHA-256 hex of a key (the `api_keys.key_hash` column, src/api-keys/hash.ts). */
async function sha256Hex(value) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value))
  return Buffer.from(digest).toString('hex')
}

/**
 * The benchmark's usage plans and keys, straight into the gateway's D1 (migrations/0002 columns,
 * as test/policies/support.ts and an operator with `wrangler d1 execute` would).
 */
async function seedKeys(mf) {
  const db = await mf.getD1Database('DB')
  const now = new Date().toISOString()
  const statements = []
  for (const [name, p] of Object.entries(BENCH_PLANS)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO usage_plans (id, name, throttle, quota, api_stages, created_date,
           last_updated_date) VALUES (?, ?, ?, ?, ?, ?, ?)`
        )
        .bind(
          p.planId,
          `bench ${name}`,
          JSON.stringify(p.throttle),
          p.quota ? JSON.stringify(p.quota) : null,
          JSON.stringify([{ apiId: API_ID, stage: STAGE }]),
          now,
          now
        ),
      db
        .prepare(
          `INSERT INTO api_keys (id, key_hash, value_prefix, name, enabled, created_date,
           last_updated_date) VALUES (?, ?, ?, ?, 1, ?, ?)`
        )
        .bind(p.keyId, await sha256Hex(p.key), p.key.slice(0, 8), `bench ${name}`, now, now),
      db
        .prepare('INSERT INTO usage_plan_keys (usage_plan_id, key_id) VALUES (?, ?)')
        .bind(p.planId, p.keyId)
    )
  }
  await db.batch(statements)
}

/** A per-run RS256 key: its public half becomes the upstream's JWKS; returns a 1-hour token. */
async function makeBenchToken() {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'RS256', use: 'sig' }
  jwksBody = JSON.stringify({ keys: [jwk] })
  return new SignJWT({ scope: 'pets:read' })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench-1' })
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setSubject('bench-user')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey)
}

/** One request with an explicit Host header (fetch() would not let us set it). */
function probe(url, host, headers = {}, { method = 'GET', body } = {}) {
  return new Promise((resolve) => {
    const req = httpRequest(
      url,
      {
        method,
        headers: {
          ...(host ? { host } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        timeout: 15_000,
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (d) => (body += d))
        res.on('end', () => resolve({ status: res.statusCode, body, headers: res.headers }))
      }
    )
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', (e) => resolve({ status: 0, body: String(e.message), headers: {} }))
    req.end(body)
  })
}

async function runWrk(target, seconds, pin) {
  const args = [
    '-t',
    String(Math.min(OPTS.threads, target.connections ?? OPTS.connections)),
    '-c',
    String(target.connections ?? OPTS.connections),
    '-d',
    `${seconds}s`,
    '--timeout',
    '5s',
    '--latency',
    '-s',
    target.script ?? LUA_SCRIPT,
    ...(target.host ? ['-H', `Host: ${target.host}`] : []),
    ...Object.entries(target.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    target.url,
    // report-fresh-key.lua: a nonce per wrk run, so no two runs share a cache key.
    ...(target.freshKeys
      ? [`${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`]
      : []),
  ]
  const [cmd, cmdArgs] = pin.pinned
    ? ['taskset', ['-c', String(pin.wrkCpu), 'wrk', ...args]]
    : ['wrk', args]
  const r = await run(cmd, cmdArgs, {
    timeoutMs: (seconds + 30) * 1000,
    env: { ...process.env, BENCH_POST_BODY: POST_BODY },
  })
  const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH_JSON '))
  const statusLine = r.stdout.split('\n').find((l) => l.startsWith('BENCH_STATUS '))
  if (r.code !== 0 || line === undefined) {
    throw new Error(
      `wrk failed on ${target.name} (exit ${r.code}${r.timedOut ? ', timed out' : ''}):\n${r.stdout}${r.stderr}`.slice(
        0,
        2000
      )
    )
  }
  return {
    summary: JSON.parse(line.slice('BENCH_JSON '.length)),
    ...(statusLine ? { statuses: JSON.parse(statusLine.slice('BENCH_STATUS '.length)) } : {}),
    raw: r.stdout.replace(/^BENCH_(JSON|STATUS) .*\n?/gm, ''),
  }
}

function round(n, digits) {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

function rowOf(target, { summary, raw }, cpu) {
  const lat = summary.latency_us
  const e = summary.errors
  const seconds = summary.duration_us / 1e6
  return {
    name: target.name,
    label: target.label,
    url: target.url,
    ...(target.host ? { host: target.host } : {}),
    connections: target.connections ?? OPTS.connections,
    rps: round(summary.requests / seconds, 1),
    p50Ms: round(lat.p50 / 1000, 3),
    p90Ms: round(lat.p90 / 1000, 3),
    p99Ms: round(lat.p99 / 1000, 3),
    meanMs: round(lat.mean / 1000, 3),
    maxMs: round(lat.max / 1000, 3),
    requests: summary.requests,
    durationS: round(seconds, 3),
    // CPU the servers spent per request (less sensitive to a busy machine than req/s): the
    // target's workerd process, and this Node process (the upstream lives in it).
    workerdCpuUsPerReq: target.worker ? round(cpu.workerdNs / 1000 / summary.requests, 1) : null,
    upstreamCpuUsPerReq: round(cpu.nodeNs / 1000 / summary.requests, 1),
    socketErrors: e.connect + e.read + e.write + e.timeout,
    non2xx: e.status,
    wrkOutput: raw.trim(),
  }
}

function gitInfo() {
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' })
  if (head.status !== 0) return undefined
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  return { commit: head.stdout.trim(), dirty: dirty.stdout.trim() !== '' }
}

function wrkVersion() {
  const r = spawnSync('wrk', ['-v'], { encoding: 'utf8' })
  return /wrk\s+([^\s]+)/.exec(`${r.stdout}${r.stderr}`)?.[1]
}

/** Warm-up, then one measured wrk run with the servers' CPU time around it. */
async function measure(target, pin, round) {
  const tag = OPTS.rounds > 1 ? `${target.name} (round ${round}/${OPTS.rounds})` : target.name
  log(`${tag}: warm-up ${OPTS.warmupS} s, then ${OPTS.durationS} s …`)
  await runWrk(target, OPTS.warmupS, pin)
  const workerdPid = target.worker ? workerdPids[target.worker] : undefined
  const cpuBefore = { workerd: cpuNs(workerdPid), node: cpuNs(process.pid) }
  const connectionsBefore = upstreamStats.connections
  const upstreamRequestsBefore = upstreamStats.requests
  const measured = await runWrk(target, OPTS.durationS, pin)
  const cpu = {
    workerdNs: cpuNs(workerdPid) - cpuBefore.workerd,
    nodeNs: cpuNs(process.pid) - cpuBefore.node,
  }
  const row = rowOf(target, measured, cpu)
  row.upstreamConnections = upstreamStats.connections - connectionsBefore
  // Requests that reached the upstream per request wrk completed (a cache hit: ≈ 0).
  // (`round` is this function's round number here.)
  row.upstreamRequestsPerReq =
    Math.round(
      ((upstreamStats.requests - upstreamRequestsBefore) / Math.max(1, row.requests)) * 1e4
    ) / 1e4
  log(
    `${tag}: ${row.rps} req/s, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ` +
      `workerd CPU ${row.workerdCpuUsPerReq ?? '—'} µs/req, non-2xx ${row.non2xx}, socket errors ${row.socketErrors}`
  )
  return row
}

/**
 * Over-grant in lease mode under concurrency: one short wrk run per small lease-mode plan, no
 * warm-up (it would spend the bucket), statuses counted by wrk (bench/report-statuses.lua) and
 * admissions cross-checked by the upstream's per-path counter. Compared with what the strict
 * bucket would admit over the same window (burst + rate × T), the documented lease bound
 * (burst + rate × (T + 1)) and the quota (never exceeded).
 */
async function overgrant(name, pin) {
  const plan = BENCH_PLANS[name]
  const target = {
    name,
    url: `http://127.0.0.1:${PORTS.gateway}/${STAGE}/limited${plan.upstreamPath}`,
    host: GATEWAY_HOST,
    headers: { 'x-api-key': plan.key },
    connections: OVERGRANT_CONNECTIONS,
    script: STATUS_LUA_SCRIPT,
  }
  log(
    `over-grant ${name}: ${OPTS.overgrantS} s, ${OVERGRANT_CONNECTIONS} connections, no warm-up …`
  )
  const before = upstreamStats.byPath.get(plan.upstreamPath) ?? 0
  TIMED_PATHS.add(plan.upstreamPath)
  upstreamStats.times.set(plan.upstreamPath, [])
  const { summary, statuses = {} } = await runWrk(target, OPTS.overgrantS, pin)
  await sleep(200)
  const forwarded = (upstreamStats.byPath.get(plan.upstreamPath) ?? 0) - before
  TIMED_PATHS.delete(plan.upstreamPath)
  // The whole window starts with a full, never-used bucket, so every token spent in it was also
  // granted in it: over [0, T] lease mode cannot exceed strict by construction. Its timing
  // over-grant shows in windows that start mid-run (tokens granted just before, spent inside):
  // the most admissions in any sliding window of W s (arrivals at the upstream), against strict
  // (burst + rate × W) and the documented bound (burst + rate × (W + 1)).
  const times = upstreamStats.times.get(plan.upstreamPath) ?? []
  const sliding = [1, 2].map((w) => {
    let max = 0
    for (let i = 0, j = 0; j < times.length; j++) {
      while (times[j] - times[i] > w * 1000) i++
      max = Math.max(max, j - i + 1)
    }
    const strict = plan.throttle.burstLimit + plan.throttle.rateLimit * w
    const capped = plan.quota ? Math.min(plan.quota.limit, strict) : strict
    return {
      windowS: w,
      maxAdmitted: max,
      strictExpected: capped,
      leaseBound: plan.throttle.burstLimit + plan.throttle.rateLimit * (w + 1),
      admittedMinusStrict: max - capped,
    }
  })
  upstreamStats.times.delete(plan.upstreamPath)
  const seconds = summary.duration_us / 1e6
  const { rateLimit, burstLimit } = plan.throttle
  // Admitted = forwarded: the upstream's count also includes requests still in flight when wrk
  // stopped (admitted, answered after wrk stopped counting); wrk's 200s are reported beside it.
  const ok200 = statuses['200'] ?? 0
  const admitted = Math.max(forwarded, ok200)
  const rejected429 = statuses['429'] ?? 0
  const other = Object.entries(statuses)
    .filter(([status]) => status !== '200' && status !== '429')
    .reduce((sum, [, n]) => sum + n, 0)
  const throttleStrict = burstLimit + rateLimit * seconds
  const throttleBound = burstLimit + rateLimit * (seconds + 1)
  const quota = plan.quota?.limit ?? null
  const strictExpected = quota === null ? throttleStrict : Math.min(quota, throttleStrict)
  const row = {
    name,
    plan: { throttle: plan.throttle, ...(plan.quota ? { quota: plan.quota } : {}) },
    connections: OVERGRANT_CONNECTIONS,
    durationS: round(seconds, 3),
    requests: summary.requests,
    statuses,
    wrk200: ok200,
    admitted,
    rejected429,
    otherStatuses: other,
    socketErrors: Object.values(summary.errors).reduce((a, b) => a + b, 0) - summary.errors.status,
    upstreamForwarded: forwarded,
    quota,
    admittedMinusQuota: quota === null ? null : admitted - quota,
    throttleStrictExpected: round(throttleStrict, 1),
    throttleLeaseBound: round(throttleBound, 1),
    strictExpected: round(strictExpected, 1),
    admittedMinusStrict: round(admitted - strictExpected, 1),
    admittedMinusStrictInRateSeconds: round((admitted - strictExpected) / rateLimit, 3),
    sliding,
    quotaMet: quota === null ? null : admitted <= quota,
    throttleBoundMet:
      admitted <= throttleBound && sliding.every((x) => x.maxAdmitted <= x.leaseBound),
  }
  log(
    `over-grant ${name}: wrk saw ${ok200} × 200, ${rejected429} × 429, ${other} other in ${row.durationS} s; ` +
      `admitted (upstream saw) ${forwarded}; strict would admit ${row.strictExpected}, lease bound ${row.throttleLeaseBound}` +
      (quota === null ? '' : `, quota ${quota}`)
  )
  return row
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const MEDIAN_FIELDS = [
  'rps',
  'p50Ms',
  'p90Ms',
  'p99Ms',
  'meanMs',
  'workerdCpuUsPerReq',
  'upstreamCpuUsPerReq',
  'upstreamRequestsPerReq',
]

/** One row from several rounds: medians of the measured fields, sums of the counts. */
function medianRow(rows) {
  if (rows.length === 1) return rows[0]
  const out = { ...rows[0] }
  for (const field of MEDIAN_FIELDS) {
    out[field] = rows[0][field] === null ? null : round(median(rows.map((r) => r[field])), 3)
  }
  for (const field of ['requests', 'socketErrors', 'non2xx', 'upstreamConnections']) {
    out[field] = rows.reduce((sum, r) => sum + r[field], 0)
  }
  delete out.wrkOutput
  out.rounds = rows.map((r) => ({
    rps: r.rps,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    workerdCpuUsPerReq: r.workerdCpuUsPerReq,
    wrkOutput: r.wrkOutput,
  }))
  return out
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

const fmt = (n, d) => (n === undefined || n === null ? '—' : n.toFixed(d))

function verdict(met) {
  return met === null ? 'n/a' : met ? 'yes' : '**no**'
}

function markdown(result) {
  const { options: o, pinning: p } = result
  const lines = []
  const commit = result.git
    ? `${result.git.commit.slice(0, 10)}${result.git.dirty ? ' + uncommitted changes' : ''}`
    : 'unknown'
  lines.push(`## Portico benchmark — ${result.date}`)
  lines.push('')
  lines.push(
    `commit ${commit}; wrk ${result.env.wrk ?? '?'}: ${o.threads} thread(s), ${o.connections} connections, ` +
      `${o.durationS} s per target after a ${o.warmupS} s warm-up` +
      (o.rounds > 1
        ? `, ${o.rounds} rounds (medians shown; ratios are medians of per-round ratios); `
        : '; ') +
      (p.pinned
        ? `servers (upstream, workerd) pinned to CPU ${p.serverCpu}, wrk to CPU ${p.wrkCpu}.`
        : `not pinned (${p.reason}).`) +
      ` Load average at start ${result.env.loadavgStart.join(' / ')}, at end ${result.env.loadavgEnd?.join(' / ') ?? '?'}.`
  )
  if (result.gitAtEnd) {
    lines.push('')
    lines.push(
      `The working tree moved during the run (now ${result.gitAtEnd.commit.slice(0, 10)}${result.gitAtEnd.dirty ? ' + uncommitted changes' : ''}): the numbers are for the tree bundled at the start.`
    )
  }
  lines.push('')
  lines.push(
    '| target | req/s | p50 (ms) | p99 (ms) | workerd CPU µs/req | upstream CPU µs/req | errors / non-2xx |'
  )
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const row of result.rows) {
    lines.push(
      `| ${row.label} | ${fmt(row.rps, 0)} | ${fmt(row.p50Ms, 3)} | ${fmt(row.p99Ms, 3)} | ${fmt(row.workerdCpuUsPerReq, 0)} | ${fmt(row.upstreamCpuUsPerReq, 0)} | ${row.socketErrors} / ${row.non2xx} |`
    )
  }
  for (const skipped of result.skipped)
    lines.push(
      `| ${skipped.label} | — | — | — | — | — | ${skipped.reason.split('\n')[0].slice(0, 80)} |`
    )
  lines.push('')
  lines.push('| check | measured | target | met |')
  lines.push('| --- | ---: | ---: | :---: |')
  const t = result.targets
  lines.push(
    `| gateway HTTP_PROXY / bare Worker throughput | ${t.rpsRatio.measured === null ? '—' : `${fmt(t.rpsRatio.measured, 3)}×`} | ≥ ${TARGETS.rpsRatioMin}× | ${verdict(t.rpsRatio.met)} |`
  )
  lines.push(
    `| added p50 latency, 1 connection (gateway − bare) | ${t.addedP50Ms.measured === null ? '—' : `${t.addedP50Ms.measured >= 0 ? '+' : ''}${fmt(t.addedP50Ms.measured, 3)} ms`} | ≤ ${TARGETS.addedP50MsMax} ms | ${verdict(t.addedP50Ms.met)} |`
  )
  lines.push(
    `| bundle size, gzip | ${t.bundleGzipKiB.measured === null ? '—' : `${fmt(t.bundleGzipKiB.measured, 1)} KiB`} | ≤ ${TARGETS.bundleGzipKiBMax} KiB | ${verdict(t.bundleGzipKiB.met)} |`
  )
  const extra = result.ratios
  if (extra.gatewayAddedP50MsSaturated !== null) {
    lines.push(
      `| (info) added p50 at ${o.connections} connections (mostly queueing) | ${extra.gatewayAddedP50MsSaturated >= 0 ? '+' : ''}${fmt(extra.gatewayAddedP50MsSaturated, 3)} ms | | |`
    )
  }
  if (extra.mockVsConstRps !== null) {
    lines.push(
      `| (info) gateway MOCK / bare constant Worker throughput | ${fmt(extra.mockVsConstRps, 3)}× | | |`
    )
    lines.push(
      `| (info) added p50, MOCK vs constant Worker | ${extra.mockVsConstAddedP50Ms >= 0 ? '+' : ''}${fmt(extra.mockVsConstAddedP50Ms, 3)} ms | | |`
    )
  }
  if (extra.gatewayAddedCpuUsPerReq !== null) {
    lines.push(
      `| (info) workerd CPU added per request, HTTP_PROXY vs bare | ${extra.gatewayAddedCpuUsPerReq >= 0 ? '+' : ''}${fmt(extra.gatewayAddedCpuUsPerReq, 0)} µs | | |`
    )
    lines.push(
      `| (info) throughput ratio predicted by server CPU/request | ${fmt(extra.gatewayVsBareCpuCapacity, 3)}× | | |`
    )
  }
  if (extra.mockAddedCpuUsPerReq !== null) {
    lines.push(
      `| (info) workerd CPU added per request, MOCK vs constant Worker | ${extra.mockAddedCpuUsPerReq >= 0 ? '+' : ''}${fmt(extra.mockAddedCpuUsPerReq, 0)} µs | | |`
    )
  }
  if (extra.bareVsUpstreamRps !== null) {
    lines.push(
      `| (info) bare Worker / direct upstream throughput | ${fmt(extra.bareVsUpstreamRps, 3)}× | | |`
    )
  }
  const signed = (n, d, unit) => (n === null ? '—' : `${n >= 0 ? '+' : ''}${fmt(n, d)}${unit}`)
  const times = (n) => (n === null ? '—' : `${fmt(n, 3)}×`)
  lines.push('')
  lines.push('Throttled route (API key + usage plan) vs the same HTTP_PROXY route without limits:')
  lines.push('')
  lines.push('| check | measured | target | met |')
  lines.push('| --- | ---: | ---: | :---: |')
  lines.push(
    `| lease mode / no limits throughput | ${times(t.leaseRpsRatio.measured)} | ≥ ${TARGETS.leaseRpsRatioMin}× | ${verdict(t.leaseRpsRatio.met)} |`
  )
  lines.push(`| strict mode / no limits throughput | ${times(extra.strictVsUnlimitedRps)} | | |`)
  lines.push(
    `| strict mode added p50, 1 connection | ${signed(extra.strictAddedP50MsC1, 3, ' ms')} | | |`
  )
  lines.push(
    `| lease mode added p50, 1 connection | ${signed(extra.leaseAddedP50MsC1, 3, ' ms')} | | |`
  )
  lines.push(
    `| (info) lease / strict throughput, 1 connection (vs no limits) | ${times(extra.leaseVsUnlimitedRpsC1)} / ${times(extra.strictVsUnlimitedRpsC1)} | | |`
  )
  lines.push(
    `| (info) workerd CPU added per request, lease / strict vs no limits | ${signed(extra.leaseAddedCpuUsPerReq, 0, ' µs')} / ${signed(extra.strictAddedCpuUsPerReq, 0, ' µs')} | | |`
  )
  lines.push(
    `| (info) throughput ratio predicted by server CPU/request, lease / strict | ${times(extra.leaseVsUnlimitedCpuCapacity)} / ${times(extra.strictVsUnlimitedCpuCapacity)} | | |`
  )
  lines.push('')
  lines.push(
    `Response cache (stage ${CACHE_STAGE}: cached route hit / miss with a fresh key per request, vs the uncached route of the same stage):`
  )
  lines.push('')
  lines.push('| check | hit | miss |')
  lines.push('| --- | ---: | ---: |')
  lines.push(
    `| throughput vs uncached route, ${o.connections} connections | ${times(extra.cacheHitVsUncachedRps)} | ${times(extra.cacheMissVsUncachedRps)} |`
  )
  lines.push(
    `| throughput vs uncached route, 1 connection | ${times(extra.cacheHitVsUncachedRpsC1)} | ${times(extra.cacheMissVsUncachedRpsC1)} |`
  )
  lines.push(
    `| added p50 vs uncached route, 1 connection | ${signed(extra.cacheHitAddedP50MsC1, 3, ' ms')} | ${signed(extra.cacheMissAddedP50MsC1, 3, ' ms')} |`
  )
  lines.push(
    `| workerd CPU added per request vs uncached route | ${signed(extra.cacheHitAddedCpuUsPerReq, 0, ' µs')} | ${signed(extra.cacheMissAddedCpuUsPerReq, 0, ' µs')} |`
  )
  const upstreamShare = (name) => {
    const row = result.rows.find((r) => r.name === name)
    return row === undefined ? '—' : fmt(row.upstreamRequestsPerReq, 3)
  }
  lines.push(
    `| upstream requests per request (uncached: ${upstreamShare('gatewayCacheOff')}) | ${upstreamShare('gatewayCacheHit')} | ${upstreamShare('gatewayCacheMiss')} |`
  )
  lines.push('')
  lines.push(
    'Access control: JWT-protected GET vs the same GET without an authorizer; validated POST vs the same POST without validation (same HTTP_PROXY integration):'
  )
  lines.push('')
  lines.push('| check | JWT authorizer | request validation |')
  lines.push('| --- | ---: | ---: |')
  lines.push(
    `| throughput vs unprotected route, ${o.connections} connections | ${times(extra.jwtVsPlainRps)} | ${times(extra.validatedVsPlainRps)} |`
  )
  lines.push(
    `| throughput vs unprotected route, 1 connection | ${times(extra.jwtVsPlainRpsC1)} | ${times(extra.validatedVsPlainRpsC1)} |`
  )
  lines.push(
    `| added p50, 1 connection | ${signed(extra.jwtAddedP50MsC1, 3, ' ms')} | ${signed(extra.validatedAddedP50MsC1, 3, ' ms')} |`
  )
  lines.push(
    `| workerd CPU added per request | ${signed(extra.jwtAddedCpuUsPerReq, 0, ' µs')} | ${signed(extra.validatedAddedCpuUsPerReq, 0, ' µs')} |`
  )
  if (result.overgrant.length > 0) {
    lines.push('')
    lines.push(
      `Over-grant in lease mode: ${OVERGRANT_CONNECTIONS} connections, ${o.overgrantS} s, no warm-up, one fresh key per plan; ` +
        'strict = what the strict bucket admits over the window (burst + rate × T, capped by the quota), ' +
        'bound = burst + rate × (T + 1) (docs/rate-limits.md). The whole run starts with a full, unused bucket, so over 0–T ' +
        'lease mode cannot exceed strict by construction; the timing over-grant shows in the busiest sliding window of W s ' +
        '(arrivals at the upstream) against burst + rate × W.'
    )
    lines.push('')
    lines.push(
      '| plan (lease mode) | window (s) | requests | 200 (wrk) | 429 | other | admitted (upstream saw) | strict | admitted − strict | lease bound | quota | admitted − quota | met |'
    )
    lines.push(
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |'
    )
    for (const g of result.overgrant) {
      const th = g.plan.throttle
      const q = g.plan.quota
      const met = g.quota === null ? g.throttleBoundMet : g.quotaMet && g.throttleBoundMet
      lines.push(
        `| rate ${th.rateLimit}/s, burst ${th.burstLimit}${q ? `, quota ${q.limit}/${q.period}` : ''} | 0–${fmt(g.durationS, 2)} | ${g.requests} | ${g.wrk200} | ${g.rejected429} | ${g.otherStatuses + g.socketErrors} | ${g.admitted} | ${fmt(g.strictExpected, 0)} | ${signed(g.admittedMinusStrict, 0, '')} (${signed(g.admittedMinusStrictInRateSeconds, 2, ' s')} of rate) | ${fmt(g.throttleLeaseBound, 0)} | ${g.quota ?? '—'} | ${g.admittedMinusQuota === null ? '—' : signed(g.admittedMinusQuota, 0, '')} | ${verdict(met)} |`
      )
      for (const x of g.sliding ?? []) {
        lines.push(
          `| ″ | busiest ${x.windowS} s | | | | | ${x.maxAdmitted} | ${fmt(x.strictExpected, 0)} | ${signed(x.admittedMinusStrict, 0, '')} (${signed(x.admittedMinusStrict / th.rateLimit, 2, ' s')} of rate) | ${fmt(x.leaseBound, 0)} | | | ${verdict(x.maxAdmitted <= x.leaseBound)} |`
        )
      }
    }
  }
  if (result.bundle.ok) {
    lines.push('')
    lines.push(
      `Bundle: ${result.bundle.modules.join(', ')} — ${fmt(result.bundle.rawKiB, 1)} KiB raw, ${fmt(result.bundle.gzipKiB, 1)} KiB gzip (node:zlib, default level)` +
        (result.bundle.wranglerReported
          ? `; wrangler reports ${result.bundle.wranglerReported}.`
          : '.')
    )
  } else {
    lines.push('')
    lines.push(`Bundle failed:\n\n\`\`\`\n${result.bundle.error}\n\`\`\``)
  }
  for (const [label, logs] of Object.entries(result.workerLogs)) {
    if (logs.count > 0)
      lines.push(
        `\n${label} worker logged ${logs.count} line(s) during the run, first: ${JSON.stringify(logs.first.slice(0, 2))}`
      )
  }
  return lines.join('\n')
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main() {
  process.chdir(ROOT)
  await ensureWrk()

  // Watchdog: bundling + start-up + every target's warm-up and run, with generous slack.
  // 23 targets per round, then the over-grant phase (2 short wrk runs).
  const budgetMs =
    (23 * OPTS.rounds * (OPTS.durationS + OPTS.warmupS + 35) + 2 * (OPTS.overgrantS + 35) + 420) *
    1000
  setTimeout(
    () => void exitWith(1, `time budget (${Math.round(budgetMs / 1000)} s) exceeded`),
    budgetMs
  ).unref()

  const loadavgStart = os.loadavg().map((n) => round(n, 2))
  // The tree that is bundled (a shared working tree can move on during the run: noted at the end).
  const gitAtStart = gitInfo()
  const bundle = await bundleGateway()
  if (bundle.ok) log(`bundle: ${bundle.gzipKiB} KiB gzip (${bundle.rawKiB} KiB raw)`)
  else log(`bundle FAILED — the gateway rows will be skipped:\n${bundle.error}`)

  const pin = pinServers()
  log(
    pin.pinned
      ? `servers pinned to CPU ${pin.serverCpu}, wrk to CPU ${pin.wrkCpu}`
      : `not pinning: ${pin.reason}`
  )

  const bearer = await makeBenchToken()
  await startUpstream(PORTS.upstream)
  log(`upstream on 127.0.0.1:${PORTS.upstream}`)

  const targets = [
    {
      name: 'upstream',
      label: 'upstream direct (node:http)',
      url: `http://127.0.0.1:${PORTS.upstream}/hello`,
      expect: UPSTREAM_BODY,
    },
    {
      name: 'bare',
      label: 'bare Worker → upstream',
      worker: 'bare',
      url: `http://127.0.0.1:${PORTS.bare}/hello`,
      expect: UPSTREAM_BODY,
    },
    {
      name: 'gateway',
      label: 'gateway HTTP_PROXY → upstream',
      worker: 'gateway',
      url: `http://127.0.0.1:${PORTS.gateway}/${STAGE}/hello`,
      host: GATEWAY_HOST,
      expect: UPSTREAM_BODY,
    },
    {
      name: 'gatewayStrict',
      label: `gateway + API key + throttle, strict (plan ${BENCH_PLANS.strict.throttle.rateLimit}/s, burst ${BENCH_PLANS.strict.throttle.burstLimit})`,
      worker: 'gateway',
      url: `http://127.0.0.1:${PORTS.gateway}/${STAGE}/limited${BENCH_PLANS.strict.upstreamPath}`,
      host: GATEWAY_HOST,
      headers: { 'x-api-key': BENCH_PLANS.strict.key },
      needsD1: true,
      expect: UPSTREAM_BODY,
    },
    {
      name: 'gatewayLease',
      label: `gateway + API key + throttle, lease (plan ${BENCH_PLANS.lease.throttle.rateLimit}/s, burst ${BENCH_PLANS.lease.throttle.burstLimit})`,
      worker: 'gateway',
      url: `http://127.0.0.1:${PORTS.gateway}/${STAGE}/limited${BENCH_PLANS.lease.upstreamPath}`,
      host: GATEWAY_HOST,
      headers: { 'x-api-key': BENCH_PLANS.lease.key },
      needsD1: true,
      expect: UPSTREAM_BODY,
    },
    {
      name: 'gatewayJwt',
      label: 'gateway + JWT authorizer (RS256) → upstream',
      worker: 'gateway',
      url: `http://127.0.0.1:${PORTS.gateway}/${STAGE}/jwt/hello`,
      host: GATEWAY_HOST,
      headers: { authorization: `Bearer ${bearer}` },
      expect: UPSTREAM_BODY,
    },
    {
      name: 'gatewayPost',
      label: 'gateway HTTP_PROXY, POST JSON body → upstream',
      worker: 'gateway',
      url: `http://127.0.0.1:${PORTS.gateway}/${STAGE}/plain/hello`,
      host: GATEWAY_HOST,
      method: 'POST',
      body: POST_BODY,
      script: POST_LUA_SCRIPT,
      expect: UPSTREAM_BODY,
    },
    {
      name: 'gatewayValidated',
      label: 'gateway + request validation (draft-4 model), same POST → upstream',
      worker: 'gateway',
      url: `http://127.0.0.1:${PORTS.gateway}/${STAGE}/validated/hello`,
      host: GATEWAY_HOST,
      method: 'POST',
      body: POST_BODY,
      script: POST_LUA_SCRIPT,
      expect: UPSTREAM_BODY,
    },
    {
      name: 'bareConst',
      label: 'bare Worker, constant response',
      worker: 'bare',
      url: `http://127.0.0.1:${PORTS.bare}/__const`,
      expect: CONST_BODY,
    },
    {
      name: 'gatewayMock',
      label: 'gateway MOCK (answers itself)',
      worker: 'gateway',
      url: `http://127.0.0.1:${PORTS.gateway}/${STAGE}/mock`,
      host: GATEWAY_HOST,
      expect: CONST_BODY,
    },
    // Response cache, side by side on stage benchcache (same HTTP_PROXY integration): every
    // request a hit; every request a fresh key (lookup miss + upstream + cache write); and the
    // stage's uncached route.
    {
      name: 'gatewayCacheHit',
      label: 'gateway cached route: hit',
      worker: 'gateway',
      url: `http://127.0.0.1:${PORTS.gateway}/${CACHE_STAGE}/cached/hello-hit`,
      host: GATEWAY_HOST,
      expect: UPSTREAM_BODY,
      xCache: 'Hit',
    },
    {
      name: 'gatewayCacheMiss',
      label: 'gateway cached route: miss (fresh key per request)',
      worker: 'gateway',
      url: `http://127.0.0.1:${PORTS.gateway}/${CACHE_STAGE}/cached/hello-miss`,
      host: GATEWAY_HOST,
      expect: UPSTREAM_BODY,
      script: FRESH_KEY_LUA_SCRIPT,
      freshKeys: true,
      xCache: 'Miss',
    },
    {
      name: 'gatewayCacheOff',
      label: 'gateway uncached route (same stage)',
      worker: 'gateway',
      url: `http://127.0.0.1:${PORTS.gateway}/${CACHE_STAGE}/hello-uncached`,
      host: GATEWAY_HOST,
      expect: UPSTREAM_BODY,
      xCache: null,
    },
  ]
  const skipped = []

  await startMiniflare('bare', PORTS.bare, {
    name: 'bench-bare',
    scriptPath: BARE_WORKER,
    bindings: { UPSTREAM_PORT: String(PORTS.upstream) },
  })
  log(`bare Worker on 127.0.0.1:${PORTS.bare}`)

  let gatewayBlocked = bundle.ok ? undefined : `bundle failed: ${bundle.error.split('\n')[0]}`
  let d1Blocked
  if (bundle.ok) {
    try {
      const mf = await startMiniflare('gateway', PORTS.gateway, {
        name: 'portico',
        scriptPath: bundle.scriptPath,
        kvNamespaces: ['ROUTES'],
        d1Databases: ['DB'],
        // wrangler.toml's [[durable_objects.bindings]] (SQLite-backed, [[migrations]] v1).
        durableObjects: { RATE_LIMITER: { className: 'RateLimiter', useSQLite: true } },
        bindings: { ...wranglerVars(ROOT) },
        // WORKER integrations only; the benchmark API has none.
        serviceBindings: {
          DEMO_BACKEND: () => new Response('not part of the benchmark', { status: 503 }),
        },
      })
      try {
        await applyD1Migrations(mf, ROOT)
        await seedKeys(mf)
        log(`D1: migrations applied, ${Object.keys(BENCH_PLANS).length} usage plans + keys seeded`)
      } catch (e) {
        d1Blocked = `D1 migrations/seed failed: ${e.message}`
        log(`warning: ${d1Blocked}; the API-key/throttle rows will be skipped`)
      }
      await seedGateway(mf, PORTS.upstream)
      log(`gateway on 127.0.0.1:${PORTS.gateway}, API ${API_ID} stage ${STAGE} seeded in KV`)
    } catch (e) {
      gatewayBlocked = `gateway did not start: ${e.message}`
    }
  }

  // Check every target answers as expected before loading it.
  const live = []
  for (const target of targets.filter((t) => ONLY.size === 0 || ONLY.has(t.name))) {
    if (gatewayBlocked && target.host) {
      skipped.push({ name: target.name, label: target.label, reason: gatewayBlocked })
      continue
    }
    if (d1Blocked && target.needsD1) {
      skipped.push({ name: target.name, label: target.label, reason: d1Blocked })
      continue
    }
    const probeUrl = target.freshKeys ? `${target.url}?k=probe${Date.now()}` : target.url
    let r = await probe(probeUrl, target.host, target.headers, target)
    if (target.xCache === 'Hit' && r.status === 200) {
      // The first request stored the entry (cache writes run after the response): ask again.
      await sleep(300)
      r = await probe(probeUrl, target.host, target.headers)
    }
    const xCache = r.headers['x-cache'] ?? null
    if (
      r.status !== 200 ||
      r.body !== target.expect ||
      (target.xCache !== undefined && xCache !== target.xCache)
    ) {
      const reason = `probe answered ${r.status} (X-Cache ${xCache ?? 'absent'}): ${r.body.slice(0, 300)}`
      log(`${target.name}: ${reason} — skipped`)
      skipped.push({ name: target.name, label: target.label, reason })
      continue
    }
    live.push(target)
  }

  // Added latency is a per-request figure: at 32 connections the servers are saturated and p50 is
  // mostly queueing (≈ connections / throughput), so the latency target is checked with one
  // connection (no queue): bare Worker and gateway again, wrk -c 1.
  for (const name of [
    'bare',
    'gateway',
    'gatewayStrict',
    'gatewayLease',
    'gatewayCacheHit',
    'gatewayCacheMiss',
    'gatewayCacheOff',
    'gatewayJwt',
    'gatewayPost',
    'gatewayValidated',
  ]) {
    const t = live.find((x) => x.name === name)
    if (t) live.push({ ...t, name: `${name}C1`, label: `${t.label}, 1 connection`, connections: 1 })
  }
  // Each round runs every target once, in order; with BENCH_ROUNDS > 1 the table shows medians
  // and each ratio is the median of the per-round ratios (neighbours in time share the noise).
  const rounds = []
  for (let round = 1; round <= OPTS.rounds; round++) {
    const roundRows = {}
    for (const target of live) {
      roundRows[target.name] = await measure(target, pin, round)
    }
    rounds.push(roundRows)
  }
  const rows = live.map((t) => medianRow(rounds.map((r) => r[t.name])))

  // Over-grant phase: once per run (the keys' buckets and quotas are spent by it).
  const overgrants = []
  const keyedLive = live.some((t) => t.name === 'gatewayLease')
  for (const name of ['ogThrottle', 'ogQuota']) {
    // A BENCH_ONLY run that leaves out the lease target leaves out the over-grant phase too.
    if (ONLY.size > 0 && !ONLY.has('gatewayLease')) continue
    if (!keyedLive) {
      skipped.push({ name, label: `over-grant ${name}`, reason: 'keyed route not live' })
      continue
    }
    overgrants.push(await overgrant(name, pin))
  }
  const acrossRounds = (fn) => {
    const values = rounds.map(fn).filter((v) => v !== null && Number.isFinite(v))
    return values.length === 0 ? null : median(values)
  }
  const ratio = (a, b) => acrossRounds((r) => (r[a] && r[b] ? round(r[a].rps / r[b].rps, 4) : null))
  const added = (a, b) =>
    acrossRounds((r) => (r[a] && r[b] ? round(r[a].p50Ms - r[b].p50Ms, 3) : null))
  const addedP99 = (a, b) =>
    acrossRounds((r) => (r[a] && r[b] ? round(r[a].p99Ms - r[b].p99Ms, 3) : null))
  const serverCpu = (r) => r.workerdCpuUsPerReq + r.upstreamCpuUsPerReq
  const cpuAdded = (a, b) =>
    acrossRounds((r) =>
      r[a] && r[b] ? round(r[a].workerdCpuUsPerReq - r[b].workerdCpuUsPerReq, 1) : null
    )
  const cpuCapacity = (a, b) =>
    acrossRounds((r) => (r[a] && r[b] ? round(serverCpu(r[b]) / serverCpu(r[a]), 4) : null))
  const rpsRatio = ratio('gateway', 'bare')
  const addedP50 = added('gatewayC1', 'bareC1')
  const leaseRatio = ratio('gatewayLease', 'gateway')
  const ogQuota = overgrants.find((o) => o.name === 'ogQuota')
  const ogThrottle = overgrants.find((o) => o.name === 'ogThrottle')

  const result = {
    date: new Date().toISOString(),
    git: gitAtStart,
    ...(JSON.stringify(gitInfo()) === JSON.stringify(gitAtStart) ? {} : { gitAtEnd: gitInfo() }),
    options: {
      durationS: OPTS.durationS,
      warmupS: OPTS.warmupS,
      connections: OPTS.connections,
      threads: OPTS.threads,
      rounds: OPTS.rounds,
      ports: PORTS,
      overgrantS: OPTS.overgrantS,
      overgrantConnections: OVERGRANT_CONNECTIONS,
      plans: Object.fromEntries(
        Object.entries(BENCH_PLANS).map(([k, p]) => [
          k,
          { throttle: p.throttle, ...(p.quota ? { quota: p.quota } : {}) },
        ])
      ),
    },
    pinning: pin,
    env: {
      node: process.version,
      wrk: wrkVersion(),
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      loadavgStart,
      loadavgEnd: os.loadavg().map((n) => round(n, 2)),
    },
    bundle,
    rows,
    skipped,
    ratios: {
      gatewayVsBareRps: rpsRatio,
      gatewayAddedP50Ms: addedP50,
      gatewayAddedP50MsSaturated: added('gateway', 'bare'),
      gatewayAddedP99Ms: addedP99('gateway', 'bare'),
      mockVsConstRps: ratio('gatewayMock', 'bareConst'),
      mockVsConstAddedP50Ms: added('gatewayMock', 'bareConst'),
      bareVsUpstreamRps: ratio('bare', 'upstream'),
      // CPU view: what the gateway adds per request in workerd, and the throughput ratio the
      // per-request CPU predicts for one dedicated server core (workerd + upstream on it).
      gatewayAddedCpuUsPerReq: cpuAdded('gateway', 'bare'),
      gatewayVsBareCpuCapacity: cpuCapacity('gateway', 'bare'),
      mockAddedCpuUsPerReq: cpuAdded('gatewayMock', 'bareConst'),
      // Issue 3: a throttled route (API key + usage plan) against the same route without limits.
      leaseVsUnlimitedRps: leaseRatio,
      strictVsUnlimitedRps: ratio('gatewayStrict', 'gateway'),
      leaseVsUnlimitedRpsC1: ratio('gatewayLeaseC1', 'gatewayC1'),
      strictVsUnlimitedRpsC1: ratio('gatewayStrictC1', 'gatewayC1'),
      strictAddedP50MsC1: added('gatewayStrictC1', 'gatewayC1'),
      leaseAddedP50MsC1: added('gatewayLeaseC1', 'gatewayC1'),
      strictAddedP50MsSaturated: added('gatewayStrict', 'gateway'),
      leaseAddedP50MsSaturated: added('gatewayLease', 'gateway'),
      strictAddedCpuUsPerReq: cpuAdded('gatewayStrict', 'gateway'),
      leaseAddedCpuUsPerReq: cpuAdded('gatewayLease', 'gateway'),
      strictVsUnlimitedCpuCapacity: cpuCapacity('gatewayStrict', 'gateway'),
      leaseVsUnlimitedCpuCapacity: cpuCapacity('gatewayLease', 'gateway'),
      // Response cache: hit and miss against the uncached route of the same stage.
      cacheHitVsUncachedRps: ratio('gatewayCacheHit', 'gatewayCacheOff'),
      cacheMissVsUncachedRps: ratio('gatewayCacheMiss', 'gatewayCacheOff'),
      cacheHitVsUncachedRpsC1: ratio('gatewayCacheHitC1', 'gatewayCacheOffC1'),
      cacheMissVsUncachedRpsC1: ratio('gatewayCacheMissC1', 'gatewayCacheOffC1'),
      cacheHitAddedP50MsC1: added('gatewayCacheHitC1', 'gatewayCacheOffC1'),
      cacheMissAddedP50MsC1: added('gatewayCacheMissC1', 'gatewayCacheOffC1'),
      cacheHitAddedCpuUsPerReq: cpuAdded('gatewayCacheHit', 'gatewayCacheOff'),
      cacheMissAddedCpuUsPerReq: cpuAdded('gatewayCacheMiss', 'gatewayCacheOff'),
      // Issue 4: a JWT-protected route vs the same GET without it; a validated POST vs the
      // same POST without validation.
      jwtVsPlainRps: ratio('gatewayJwt', 'gateway'),
      jwtVsPlainRpsC1: ratio('gatewayJwtC1', 'gatewayC1'),
      jwtAddedP50MsC1: added('gatewayJwtC1', 'gatewayC1'),
      jwtAddedCpuUsPerReq: cpuAdded('gatewayJwt', 'gateway'),
      validatedVsPlainRps: ratio('gatewayValidated', 'gatewayPost'),
      validatedVsPlainRpsC1: ratio('gatewayValidatedC1', 'gatewayPostC1'),
      validatedAddedP50MsC1: added('gatewayValidatedC1', 'gatewayPostC1'),
      validatedAddedCpuUsPerReq: cpuAdded('gatewayValidated', 'gatewayPost'),
    },
    overgrant: overgrants,
    targets: {
      rpsRatio: {
        target: TARGETS.rpsRatioMin,
        measured: rpsRatio,
        met: rpsRatio === null ? null : rpsRatio >= TARGETS.rpsRatioMin,
      },
      addedP50Ms: {
        target: TARGETS.addedP50MsMax,
        measured: addedP50,
        met: addedP50 === null ? null : addedP50 <= TARGETS.addedP50MsMax,
      },
      bundleGzipKiB: {
        target: TARGETS.bundleGzipKiBMax,
        measured: bundle.ok ? bundle.gzipKiB : null,
        met: bundle.ok ? bundle.gzipKiB <= TARGETS.bundleGzipKiBMax : null,
      },
      leaseRpsRatio: {
        target: TARGETS.leaseRpsRatioMin,
        measured: leaseRatio,
        met: leaseRatio === null ? null : leaseRatio >= TARGETS.leaseRpsRatioMin,
      },
      leaseQuotaOvergrant: {
        target: 0,
        measured: ogQuota?.admittedMinusQuota ?? null,
        met: ogQuota ? ogQuota.quotaMet : null,
      },
      leaseThrottleOvergrant: {
        target: ogThrottle ? ogThrottle.throttleLeaseBound : null,
        measured: ogThrottle?.admitted ?? null,
        met: ogThrottle ? ogThrottle.throttleBoundMet : null,
      },
    },
    workerLogs,
  }

  mkdirSync(RESULTS_DIR, { recursive: true })
  // A BENCH_ONLY run is partial: it never replaces the full run's latest.json.
  const file = join(
    RESULTS_DIR,
    ONLY.size === 0 ? 'latest.json' : `only-${[...ONLY].sort().join('+')}.json`
  )
  writeFileSync(`${file}.tmp`, `${JSON.stringify(result, null, 2)}\n`)
  renameSync(`${file}.tmp`, file)
  console.log(markdown(result))
  log(`wrote ${relative(ROOT, file)}`)

  const missed = Object.values(result.targets).some((t) => t.met === false)
  if (skipped.length > 0) return 1
  if (OPTS.strict && missed) return 3
  return 0
}

main().then(
  (code) => exitWith(code),
  (e) => exitWith(1, `failed: ${e?.stack ?? e}`)
)
