// Pieces both benchmarks (run.mjs, websocket-fanout.mjs) use to serve the gateway bundle with the
// Miniflare API and to stop what they started.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** `[vars]` of wrangler.toml (flat `KEY = "value"` lines only, which is all it has). */
export function wranglerVars(root) {
  const vars = {}
  let inVars = false
  for (const line of readFileSync(join(root, 'wrangler.toml'), 'utf8').split('\n')) {
    const trimmed = line.trim()
    if (trimmed.startsWith('[')) inVars = trimmed === '[vars]'
    else if (inVars) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"]*)"/.exec(trimmed)
      if (m) vars[m[1]] = m[2]
    }
  }
  return vars
}

/** Applies migrations/*.sql in order to the gateway's D1 (`DB`) of a Miniflare instance. */
export async function applyD1Migrations(mf, root) {
  const db = await mf.getD1Database('DB')
  const dir = join(root, 'migrations')
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    const sql = readFileSync(join(dir, file), 'utf8').replace(/--[^\n]*/g, '')
    const statements = sql
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean)
    if (statements.length > 0) await db.batch(statements.map((s) => db.prepare(s)))
  }
}

/** Kills a child's whole process group (it was spawned detached), or the child alone. */
export function killGroup(child, signal = 'SIGKILL') {
  if (child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    try {
      child.kill(signal)
    } catch {
      /* already gone */
    }
  }
}
