/**
 * Starts a throwaway Portico under `wrangler dev` (gateway + demo backend, both configs) for the
 * e2e project: its own port, its own `--persist-to` directory with D1 migrations applied, and
 * admin secrets in a private temp env file passed with `--env-file`, so the repo's `.dev.vars`
 * and `.wrangler/state` are never read or touched.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  formatEnvFile,
  generateCredentials,
  writePrivateFile,
} from '../../../scripts/lib/dev-vars.mjs'
import {
  applyLocalMigrations,
  freePort,
  startWranglerDev,
  waitUntilReady,
} from '../../../scripts/lib/wrangler.mjs'

export interface LocalGateway {
  port: number
  adminToken: string
  accessKeyId: string
  secretAccessKey: string
  /** Output wrangler wrote so far (for failure messages). */
  logs(): string
  /** Stops the whole wrangler process group and deletes the temp state. */
  stop(): Promise<void>
}

export interface LocalGatewayOptions {
  /** Extra `KEY=value` secrets/vars for the gateway (e.g. test-only settings). */
  vars?: Record<string, string>
  readyTimeoutMs?: number
}

const START_ATTEMPTS = 3

export async function startLocalGateway(options: LocalGatewayOptions = {}): Promise<LocalGateway> {
  const dir = await mkdtemp(join(tmpdir(), 'portico-e2e-'))
  const persistTo = join(dir, 'state')
  const envFile = join(dir, 'secrets.env')
  const credentials = generateCredentials()
  writePrivateFile(envFile, formatEnvFile({ ...credentials, ...options.vars }))
  try {
    await applyLocalMigrations({ persistTo })
    let lastError: unknown
    // A free port can be taken between probing and wrangler binding it; try a fresh one.
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      const port = await freePort()
      const dev = startWranglerDev({ port, persistTo, envFile })
      try {
        await waitUntilReady({ port, dev, timeoutMs: options.readyTimeoutMs ?? 90_000 })
        return {
          port,
          adminToken: credentials.ADMIN_TOKEN,
          accessKeyId: credentials.ADMIN_ACCESS_KEY_ID,
          secretAccessKey: credentials.ADMIN_SECRET_ACCESS_KEY,
          logs: () => dev.logs(),
          stop: async () => {
            await dev.stop()
            await rm(dir, { recursive: true, force: true })
          },
        }
      } catch (error) {
        lastError = error
        await dev.stop()
      }
    }
    throw lastError
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}
