// `npm start`: the local quick start. Generates admin credentials (.dev.vars) when missing,
// applies D1 migrations, starts the demo pets upstream and `wrangler dev` (gateway + demo
// backend), seeds the demo REST API and the demo chat (a WebSocket API) through the admin API
// and prints how to call them.
// Env: PORTICO_PORT (8787), DEMO_UPSTREAM_PORT (8788), PORTICO_NO_SEED=1 to skip the demo.
import { join, relative } from 'node:path'
import { startDemoUpstream } from '../demo/upstream.mjs'
import { ensureDevVars, formatEnvFile, writePrivateFile } from './lib/dev-vars.mjs'
import {
  ROOT,
  applyLocalMigrations,
  isPortInUse,
  startWranglerDev,
  waitUntilReady,
} from './lib/wrangler.mjs'
import { chatExample, demoKeyExample, seedChat, seedDemo } from './seed-demo.mjs'

const PORT = Number(process.env.PORTICO_PORT ?? 8787)
const UPSTREAM_PORT = Number(process.env.DEMO_UPSTREAM_PORT ?? 8788)
const PERSIST_TO = join(ROOT, '.wrangler', 'state')
const DEV_VARS = join(ROOT, '.dev.vars')
// The demo backend's own secrets: the chat signs its `@topics` broadcasts with the key pair.
const BACKEND_DEV_VARS = join(ROOT, 'demo', 'backend', '.dev.vars')
const ADMIN_HOST = 'admin.localhost'

const log = (line = '') => console.log(`[portico] ${line}`)

function fail(message) {
  console.error(`[portico] ${message}`)
  process.exit(1)
}

function banner({ apiId, stageName, demoKey }, chat) {
  const base = `http://127.0.0.1:${PORT}`
  const host = `${apiId}.execute-api.localhost`
  const token = `"Authorization: Bearer $(sed -n 's/^ADMIN_TOKEN=//p' .dev.vars)"`
  return [
    '',
    'Portico is running.',
    '',
    `  Demo API (REST, id ${apiId}), stage ${stageName}:`,
    `    http://${host}:${PORT}/${stageName}/   (curl resolves *.localhost to 127.0.0.1)`,
    `  Admin API: http://${ADMIN_HOST}:${PORT}/   credentials in .dev.vars`,
    '',
    'Try:',
    `  curl -H 'Host: ${host}' ${base}/${stageName}/health`,
    `  curl -H 'Host: ${host}' ${base}/${stageName}/pets`,
    `  curl -H 'Host: ${host}' ${base}/${stageName}/pets/1`,
    `  curl -H 'Host: ${host}' -H 'content-type: application/json' -d '{"type":"dog","name":"Ada"}' ${base}/${stageName}/pets`,
    `  curl -H 'Host: ${host}' ${base}/${stageName}/store/pets/2`,
    `  curl -H 'Host: ${host}' '${base}/${stageName}/hello?name=Ada'`,
    `  curl -H 'Host: ${ADMIN_HOST}' -H ${token} ${base}/restapis`,
    '',
    ...(demoKey
      ? [
          demoKeyExample({ apiId, stageName, value: demoKey.value, port: PORT }),
          `  Without the key: 403 {"message":"Forbidden"}.`,
          '',
        ]
      : []),
    ...(chat ? [chatExample({ ...chat, port: PORT }), ''] : []),
    'Ctrl-C stops everything.',
    '',
  ].join('\n')
}

/** What is running, so that every exit path stops it (wrangler runs in its own process group). */
const running = { dev: undefined, upstream: undefined, stopping: false }

async function shutdown(code) {
  if (running.stopping) return
  running.stopping = true
  log('stopping…')
  await running.dev?.stop()
  await running.upstream?.close()
  process.exit(code)
}

async function main() {
  process.chdir(ROOT)
  const { created, vars: credentials } = ensureDevVars(DEV_VARS)
  log(`admin credentials ${created ? 'generated in' : 'read from'} ${relative(ROOT, DEV_VARS)}`)
  if (!credentials.ADMIN_TOKEN) fail('.dev.vars has no ADMIN_TOKEN; add one or delete the file')
  writePrivateFile(
    BACKEND_DEV_VARS,
    formatEnvFile(
      {
        ADMIN_ACCESS_KEY_ID: credentials.ADMIN_ACCESS_KEY_ID ?? '',
        ADMIN_SECRET_ACCESS_KEY: credentials.ADMIN_SECRET_ACCESS_KEY ?? '',
      },
      '# Written by `npm start` from ../../.dev.vars (git-ignored): the demo chat signs with it.\n'
    )
  )

  if (await isPortInUse(PORT)) fail(`port ${PORT} is in use (set PORTICO_PORT to use another)`)
  if (await isPortInUse(UPSTREAM_PORT)) {
    fail(`port ${UPSTREAM_PORT} is in use (set DEMO_UPSTREAM_PORT to use another)`)
  }

  log('applying D1 migrations (local)…')
  await applyLocalMigrations({ persistTo: PERSIST_TO })

  process.on('SIGINT', () => void shutdown(0))
  process.on('SIGTERM', () => void shutdown(0))
  process.on('SIGHUP', () => void shutdown(0))
  // `npm start` runs us under `sh -c`, which does not forward signals: if npm or the shell goes
  // away we are re-parented, and must not leave wrangler dev running.
  const parent = process.ppid
  setInterval(() => {
    if (process.ppid !== parent) void shutdown(0)
  }, 1000).unref()

  const upstream = await startDemoUpstream(UPSTREAM_PORT)
  running.upstream = upstream
  log(`demo pets upstream on http://127.0.0.1:${upstream.port}`)

  log('starting wrangler dev (gateway + demo backend)…')
  const dev = startWranglerDev({ port: PORT, persistTo: PERSIST_TO, output: 'inherit' })
  running.dev = dev
  void dev.exited.then((code) => {
    if (!running.stopping) {
      console.error(`[portico] wrangler dev exited (${String(code)})`)
      void shutdown(typeof code === 'number' && code !== 0 ? code : 1)
    }
  })

  await waitUntilReady({ port: PORT, dev, timeoutMs: 120_000 })
  if (process.env.PORTICO_NO_SEED === '1') {
    log(`gateway ready on http://127.0.0.1:${PORT} (demo not seeded: PORTICO_NO_SEED=1)`)
    return
  }
  try {
    const seeded = await seedDemo({
      port: PORT,
      adminHost: ADMIN_HOST,
      adminToken: credentials.ADMIN_TOKEN,
      upstream: `127.0.0.1:${upstream.port}`,
    })
    log(
      `demo API ${seeded.created ? 'imported' : 'updated'} and deployed to stage ${seeded.stageName}`
    )
    const chat = await seedChat({
      port: PORT,
      adminHost: ADMIN_HOST,
      adminToken: credentials.ADMIN_TOKEN,
    }).catch((error) => {
      console.error(
        `[portico] could not seed the demo chat: ${error instanceof Error ? error.message : String(error)}`
      )
      return undefined
    })
    if (chat)
      log(
        `demo chat ${chat.created ? 'created' : 'updated'} and deployed to stage ${chat.stageName}`
      )
    console.log(banner(seeded, chat))
  } catch (error) {
    console.error(
      `[portico] could not seed the demo API: ${error instanceof Error ? error.message : String(error)}`
    )
    console.error('[portico] the gateway keeps running; fix the cause and restart to seed again.')
  }
}

main().catch((error) => {
  console.error(`[portico] ${error instanceof Error ? error.message : String(error)}`)
  void shutdown(1)
})
