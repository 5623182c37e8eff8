// `npm run cache-conformance`: the HTTP caching test suite (http-tests/cache-tests, npm package
// `http-cache-tests`) run through Portico's response cache. See docs/cache-conformance.md.
//
// One bounded run, everything on loopback:
//   1. the suite's origin server: its own request handlers (server/handle-{config,test,state}.mjs
//      from node_modules/http-cache-tests) behind a node:http server bound to 127.0.0.1 (the
//      suite's `npm run server` listens on every interface and writes a pid file into the cwd);
//   2. Portico under `wrangler dev` (scripts/lib/wrangler.mjs, as the e2e harness starts it: own
//      port, throwaway --persist-to state, generated admin credentials, CONFIG_CACHE_SECONDS=1);
//   3. through the admin API: a REST API with one `ANY /{proxy+}` HTTP_PROXY route to the origin
//      (`x-portico-allow-loopback-upstreams`, cacheKeyParameters `method.request.querystring.test`
//      so the suite's query-string tests get one entry per query), deployed to stage `cachetest`
//      with `cacheClusterEnabled: true`, default route settings caching on, TTL 3600;
//   4. the suite's client runner (client/runner.mjs with tests/index.mjs + surrogate-control, as
//      its cli.mjs does) against base `http://127.0.0.1:{port}/cachetest`. The suite's cli cannot
//      send a Host header and Node resolves no `*.localhost` name, so the fetch it is given adds
//      `Host: {apiId}.execute-api.localhost`; nothing else about the requests changes.
// Results (the suite's format: `{ testId: true | [errorName, message] }`) go to
// docs/cache-conformance-results.json (or --out=FILE); a summary against the published nginx and
// varnish results (../shared/external/cache-tests/results, else the package's results/) is printed.
//
// Options: --id=TEST_ID (one test, with the suite's request/response dump; nothing is saved),
//          --out=FILE, --timeout=SECONDS (default 600: the whole run, startup included),
//          --summarize=FILE (print the summary of a saved results file; nothing is started).
import { createServer } from 'node:http'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { formatEnvFile, generateCredentials, writePrivateFile } from './lib/dev-vars.mjs'
import { request } from './lib/http.mjs'
import {
  applyLocalMigrations,
  freePort,
  OFFLINE_ENV,
  ROOT,
  startWranglerDev,
  waitUntilReady,
} from './lib/wrangler.mjs'

Object.assign(process.env, OFFLINE_ENV)

const SUITE_DIR = join(ROOT, 'node_modules', 'http-cache-tests')
const STAGE = 'cachetest'
const ADMIN_HOST = 'admin.localhost'
const EXECUTE_API_DOMAIN = 'execute-api.localhost'
const PUBLISHED_DIRS = [
  join(ROOT, '..', 'shared', 'external', 'cache-tests', 'results'),
  join(SUITE_DIR, 'results'),
]

function option(name) {
  const prefix = `--${name}=`
  const arg = process.argv.slice(2).find((a) => a.startsWith(prefix))
  return arg === undefined ? undefined : arg.slice(prefix.length)
}

const onlyId = option('id')
const outFile = option('out') ?? join(ROOT, 'docs', 'cache-conformance-results.json')
const timeoutS = Number(option('timeout') ?? '600')
if (!Number.isInteger(timeoutS) || timeoutS < 30 || timeoutS > 3600) {
  console.error('[cache-conformance] --timeout must be whole seconds from 30 to 3600')
  process.exit(2)
}

const log = (msg) => console.error(`[cache-conformance] ${msg}`)
const suiteModule = (path) => import(pathToFileURL(join(SUITE_DIR, path)).href)

// ---------------------------------------------------------------------------------------------
// Origin: the suite's handlers on loopback
// ---------------------------------------------------------------------------------------------

async function startOrigin() {
  const [config, test, state] = await Promise.all(
    ['handle-config.mjs', 'handle-test.mjs', 'handle-state.mjs'].map(async (f) => {
      const mod = await suiteModule(join('server', f))
      return mod.default
    })
  )
  const handlers = { config, test, state }
  const server = createServer((req, res) => {
    // The suite's server.mjs dispatch, minus its static file handler (not used by the tests).
    const segs = new URL(req.url ?? '/', 'http://localhost').pathname.split('/')
    segs.shift()
    const handler = handlers[segs.shift() ?? '']
    if (handler === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found')
      return
    }
    handler(segs, req, res)
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('origin has no port')
  return {
    port: address.port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve(undefined))
      }),
  }
}

// ---------------------------------------------------------------------------------------------
// Gateway: wrangler dev + the cachetest stage through the admin API
// ---------------------------------------------------------------------------------------------

async function startGateway() {
  const dir = await mkdtemp(join(tmpdir(), 'portico-cache-conformance-'))
  const persistTo = join(dir, 'state')
  const envFile = join(dir, 'secrets.env')
  const credentials = generateCredentials()
  writePrivateFile(envFile, formatEnvFile({ ...credentials, CONFIG_CACHE_SECONDS: '1' }))
  await applyLocalMigrations({ persistTo })
  const port = await freePort()
  const dev = startWranglerDev({ port, persistTo, envFile })
  const stop = async () => {
    await dev.stop()
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await waitUntilReady({ port, dev, timeoutMs: 120_000 })
  } catch (error) {
    await stop()
    throw error
  }
  return { port, token: credentials.ADMIN_TOKEN, logs: () => dev.logs(), stop }
}

async function adminCall(gateway, method, path, body) {
  const res = await request({
    port: gateway.port,
    host: ADMIN_HOST,
    method,
    path,
    headers: {
      authorization: `Bearer ${gateway.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${res.text}`)
  return res.text === '' ? {} : res.json()
}

/** The cached catch-all API; returns its id. */
async function configureGateway(gateway, originPort) {
  const doc = {
    openapi: '3.0.1',
    info: { title: 'cache-tests', version: '1' },
    'x-portico-allow-loopback-upstreams': true,
    paths: {
      '/{proxy+}': {
        'x-amazon-apigateway-any-method': {
          parameters: [{ name: 'proxy', in: 'path', required: true, schema: { type: 'string' } }],
          'x-amazon-apigateway-integration': {
            type: 'http_proxy',
            httpMethod: 'ANY',
            uri: `http://127.0.0.1:${originPort}/{proxy}`,
            requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
            // AWS keys on declared parameters only; the suite's query tests use `?test=…`.
            cacheKeyParameters: ['method.request.querystring.test'],
          },
        },
      },
    },
  }
  const api = await adminCall(gateway, 'POST', '/restapis?mode=import&failonwarnings=false', doc)
  await adminCall(gateway, 'POST', `/restapis/${api.id}/deployments`, {
    stageName: STAGE,
    cacheClusterEnabled: true,
  })
  await adminCall(gateway, 'PATCH', `/restapis/${api.id}/stages/${STAGE}`, {
    patchOperations: [
      { op: 'replace', path: '/*/*/caching/enabled', value: 'true' },
      { op: 'replace', path: '/*/*/caching/ttlInSeconds', value: '3600' },
    ],
  })
  return api.id
}

// ---------------------------------------------------------------------------------------------
// Client: the suite's runner with a Host header
// ---------------------------------------------------------------------------------------------

async function loadSuite() {
  const tests = (await suiteModule('tests/index.mjs')).default
  const surrogate = (await suiteModule('tests/surrogate-control.mjs')).default
  return [...tests, surrogate] // cli.mjs runs the same list
}

async function runSuite(suites, base, host) {
  const fetch = createRequire(join(SUITE_DIR, 'package.json'))('node-fetch')
  const runner = await suiteModule('client/runner.mjs')
  const hostFetch = (url, init = {}) => {
    const headers = new fetch.Headers(init.headers ?? [])
    headers.set('host', host)
    return fetch(url, { ...init, headers })
  }
  let toRun = suites
  if (onlyId !== undefined) {
    toRun = []
    for (const suite of suites) {
      for (const test of suite.tests) {
        if (test.id === onlyId) toRun.push({ ...suite, tests: [{ ...test, dump: true }] })
      }
    }
    if (toRun.length === 0) throw new Error(`no test with id ${onlyId}`)
  }
  await runner.runTests(toRun, hostFetch, false, base)
  return runner.getResults()
}

// ---------------------------------------------------------------------------------------------
// Summary against the published results
// ---------------------------------------------------------------------------------------------

/** The suite's kinds: untagged (or `required`) tests are conformance; `optimal`, `check`. */
function kindOf(test) {
  return test.kind === undefined ? 'required' : test.kind
}

function published(name) {
  for (const dir of PUBLISHED_DIRS) {
    const file = join(dir, `${name}.json`)
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'))
  }
  return undefined
}

/** The suite's own verdict (lib/display.mjs, dependencies honoured), by its text symbol. */
const VERDICTS = {
  '✅': 'pass',
  Y: 'pass',
  '⛔️': 'fail',
  '⚠️': 'fail',
  N: 'fail',
  '🔹': 'setup',
  '⁉️': 'setup',
  '↻': 'setup',
  '⚪️': 'dependency',
  '-': 'untested',
}

/**
 * Totals per kind — raw (a test passes when its result is `true`, as the results files record it)
 * and with the suite's dependency rule (lib/display.mjs: a test whose `depends_on` did not pass is
 * "dependency not met") — and the required tests nginx or varnish pass and Portico does not
 * (raw), each with Portico's unmet dependencies.
 */
async function summarize(suites, results) {
  const { determineTestResult } = await suiteModule('lib/display.mjs')
  const verdict = (id, res) => VERDICTS[determineTestResult(suites, id, res)[2]] ?? 'fail'
  const tests = suites
    .flatMap((s) => s.tests.map((t) => ({ ...t, suite: s.id })))
    .filter((t) => t.browser_only !== true)
  const others = { nginx: published('nginx'), varnish: published('varnish') }
  const impls = [['portico', results], ...Object.entries(others).filter(([, r]) => r !== undefined)]
  const kinds = ['required', 'optimal', 'check']
  const lines = [
    '',
    `Tests passed of ${tests.length} (browser-only tests left out); "raw" = result \`true\`, "deps" = the suite's verdict with \`depends_on\` honoured:`,
    '',
    '| implementation | ' + kinds.map((k) => `${k} raw | ${k} deps`).join(' | ') + ' |',
    '| --- |' + ' ---: |'.repeat(kinds.length * 2),
  ]
  for (const [name, res] of impls) {
    const cells = kinds.flatMap((kind) => {
      const ofKind = tests.filter((x) => kindOf(x) === kind)
      const raw = ofKind.filter((t) => res[t.id] === true).length
      const deps = ofKind.filter((t) => verdict(t.id, res) === 'pass').length
      return [`${raw}/${ofKind.length}`, `${deps}/${ofKind.length}`]
    })
    lines.push(`| ${name} | ${cells.join(' | ')} |`)
  }
  lines.push(
    '',
    'Required tests that nginx or varnish pass and Portico does not (raw results):',
    ''
  )
  for (const t of tests.filter((x) => kindOf(x) === 'required')) {
    if (results[t.id] === true) continue
    const by = Object.entries(others)
      .filter(([, res]) => res?.[t.id] === true)
      .map(([n]) => n)
    if (by.length === 0) continue
    const why = Array.isArray(results[t.id]) ? results[t.id].join(': ') : 'not run'
    const unmet = (t.depends_on ?? []).filter((d) => verdict(d, results) !== 'pass')
    const deps = unmet.length === 0 ? '' : `; Portico's unmet depends_on: ${unmet.join(', ')}`
    lines.push(`- ${t.id} (${t.suite}; passes in ${by.join(', ')}${deps}): ${why}`)
  }
  return lines.join('\n')
}

// ---------------------------------------------------------------------------------------------

/** JSON as the repo's Prettier writes it (docs/ is format-checked), plain JSON without it. */
async function formatJson(value, file) {
  const text = JSON.stringify(value, null, 2) + '\n'
  try {
    const prettier = await import('prettier')
    const config = (await prettier.resolveConfig(file)) ?? {}
    return await prettier.format(text, { ...config, filepath: file })
  } catch {
    return text
  }
}

async function main() {
  const saved = option('summarize')
  if (saved !== undefined) {
    // Summary of a saved results file only: nothing is started.
    console.log(await summarize(await loadSuite(), JSON.parse(readFileSync(saved, 'utf8'))))
    return
  }
  const cleanups = []
  const watchdog = setTimeout(() => {
    log(`timed out after ${timeoutS} s; stopping`)
    void Promise.allSettled(cleanups.map((f) => f())).then(() => process.exit(4))
  }, timeoutS * 1000)
  try {
    const suites = await loadSuite()
    const origin = await startOrigin()
    cleanups.push(origin.close)
    log(`origin on 127.0.0.1:${origin.port}`)
    const gateway = await startGateway()
    cleanups.push(gateway.stop)
    log(`gateway (wrangler dev) on 127.0.0.1:${gateway.port}`)
    const apiId = await configureGateway(gateway, origin.port)
    const host = `${apiId}.${EXECUTE_API_DOMAIN}`
    const base = `http://127.0.0.1:${gateway.port}/${STAGE}`
    // The stage was written by this isolate's admin call; wait out CONFIG_CACHE_SECONDS anyway.
    await new Promise((r) => setTimeout(r, 1500))
    log(`running the suite against ${base} (Host: ${host}); this takes a few minutes`)
    const started = Date.now()
    const results = await runSuite(suites, base, host)
    log(`suite finished in ${Math.round((Date.now() - started) / 1000)} s`)
    if (onlyId === undefined) {
      await writeFile(outFile, await formatJson(results, outFile))
      log(`results written to ${outFile}`)
      console.log(await summarize(suites, results))
    } else {
      console.log(JSON.stringify(results, null, 2))
    }
  } finally {
    clearTimeout(watchdog)
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined)
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error)
  process.exitCode = 1
})
