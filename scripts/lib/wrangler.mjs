// Runs wrangler from node_modules under the current Node (npm scripts put node@22 first on PATH)
// with telemetry and the Cloudflare cf-fetch disabled, so local runs never reach the network.
// Used by `npm start` and by the e2e harness (test/e2e/support/wrangler-dev.ts).
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { request } from './http.mjs'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const WRANGLER_BIN = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js')

/** The gateway first (it owns the port), then the demo backend its DEMO_BACKEND binding names. */
export const DEV_CONFIGS = ['wrangler.toml', 'demo/backend/wrangler.toml']

export const OFFLINE_ENV = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }

function wranglerEnv(extra = {}) {
  return { ...process.env, ...OFFLINE_ENV, ...extra }
}

/** Keeps the last `max` characters a child wrote, for error messages. */
function tail(max = 20_000) {
  let text = ''
  return {
    push(chunk) {
      text = (text + chunk.toString('utf8')).slice(-max)
    },
    get text() {
      return text
    },
  }
}

/**
 * Runs a one-shot wrangler command with stdin closed (so prompts take their non-interactive
 * default) and resolves with its output; rejects with that output when it fails.
 */
export function runWrangler(args, { cwd = ROOT, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const out = tail()
    const child = spawn(process.execPath, [WRANGLER_BIN, ...args], {
      cwd,
      env: wranglerEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout.on('data', (c) => out.push(c))
    child.stderr.on('data', (c) => out.push(c))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve(out.text)
      else reject(new Error(`wrangler ${args.join(' ')} exited with ${code}\n${out.text}`))
    })
  })
}

/** Applies `migrations/` to the local D1 database `DB` kept under `persistTo`. */
export function applyLocalMigrations({ persistTo }) {
  return runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo])
}

/**
 * Starts `wrangler dev` with the gateway and the demo backend in one process group.
 * `output: 'inherit'` shows wrangler's output live; `'capture'` keeps it for `logs()`.
 */
export function startWranglerDev(options) {
  const { port, persistTo, envFile, output = 'capture', extraArgs = [] } = options
  const args = [
    WRANGLER_BIN,
    'dev',
    ...DEV_CONFIGS.flatMap((c) => ['-c', c]),
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--persist-to',
    persistTo,
    '--show-interactive-dev-session=false',
    ...(envFile ? ['--env-file', envFile] : []),
    ...extraArgs,
  ]
  const out = tail()
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: wranglerEnv(),
    // Own process group: stop() signals wrangler, its node child and both workerd processes.
    detached: true,
    stdio: [
      'ignore',
      output === 'inherit' ? 'inherit' : 'pipe',
      output === 'inherit' ? 'inherit' : 'pipe',
    ],
  })
  child.stdout?.on('data', (c) => out.push(c))
  child.stderr?.on('data', (c) => out.push(c))
  let exitCode
  const signalGroup = (signal) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal)
    } catch {
      // the group is already gone
    }
  }
  // The group is detached from ours, so a terminal's Ctrl-C does not reach it: if this process
  // exits without calling stop() (an uncaught error, process.exit), take wrangler down with it.
  const killOnExit = () => signalGroup('SIGKILL')
  process.on('exit', killOnExit)
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exitCode = code ?? signal
      resolve(exitCode)
    })
  })
  return {
    pid: child.pid,
    exited,
    hasExited: () => exitCode !== undefined,
    logs: () => out.text,
    /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves once wrangler exited. */
    async stop(graceMs = 5_000) {
      if (exitCode === undefined) {
        signalGroup('SIGTERM')
        const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs)
        await exited
        clearTimeout(timer)
      }
      // workerd children may outlive the wrangler parent by a moment; make sure they go.
      signalGroup('SIGKILL')
      process.off('exit', killOnExit)
    },
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * Polls the admin host until wrangler dev answers HTTP (any status). Rejects with wrangler's
 * output when the process exits first or `timeoutMs` passes.
 */
export async function waitUntilReady({ port, dev, timeoutMs = 90_000, host = 'admin.localhost' }) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (dev.hasExited()) {
      throw new Error(`wrangler dev exited before it was ready:\n${dev.logs()}`)
    }
    try {
      await request({ port, host, path: '/', timeoutMs: 2_000 })
      return
    } catch {
      await sleep(250)
    }
  }
  throw new Error(
    `wrangler dev was not ready on port ${port} after ${timeoutMs} ms:\n${dev.logs()}`
  )
}

/** A loopback TCP port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Whether something already listens on 127.0.0.1:port. */
export function isPortInUse(port) {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(true))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)))
  })
}
