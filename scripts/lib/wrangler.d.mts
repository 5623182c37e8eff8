export declare const ROOT: string
export declare const DEV_CONFIGS: readonly string[]
export declare const OFFLINE_ENV: Readonly<Record<string, string>>

export declare function runWrangler(
  args: string[],
  options?: { cwd?: string; env?: Record<string, string> }
): Promise<string>
export declare function applyLocalMigrations(options: { persistTo: string }): Promise<string>

export interface WranglerDevOptions {
  port: number
  persistTo: string
  /** Secrets file passed with `--env-file` (then the repo's `.dev.vars` is not read). */
  envFile?: string
  output?: 'capture' | 'inherit'
  extraArgs?: string[]
}

export interface WranglerDev {
  pid: number | undefined
  exited: Promise<number | string | null>
  hasExited(): boolean
  logs(): string
  stop(graceMs?: number): Promise<void>
}

export declare function startWranglerDev(options: WranglerDevOptions): WranglerDev
export declare function waitUntilReady(options: {
  port: number
  dev: WranglerDev
  timeoutMs?: number
  host?: string
}): Promise<void>
export declare function freePort(): Promise<number>
export declare function isPortInUse(port: number): Promise<boolean>
