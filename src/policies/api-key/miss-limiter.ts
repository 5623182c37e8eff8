/**
 * Brute-force brake for API keys, per isolate: a client IP that presents more than
 * `MAX_MISSES` unknown keys within one `WINDOW_MS` window is refused (429) until the window ends,
 * without a D1 query per attempt (SECURITY: "brute force is itself limited"). The IP is the
 * platform's (`ctx.clientIp`), never `X-Forwarded-For`. Per isolate on purpose: a shared counter
 * would put a store round trip on every miss, which is what the attacker wants.
 */

/** Unknown keys one client IP may present per window before it is refused. */
export const MAX_MISSES = 20
/** The window length (ms). */
export const WINDOW_MS = 60_000
/** Memory cap: at most this many IPs are tracked; the oldest windows are dropped first. */
const MAX_TRACKED = 10_000

interface Window {
  startedAt: number
  misses: number
}

/** Misses per client IP in fixed windows, bounded in memory. */
export class MissLimiter {
  readonly #windows = new Map<string, Window>()

  constructor(
    private readonly maxMisses = MAX_MISSES,
    private readonly windowMs = WINDOW_MS
  ) {}

  /** Milliseconds until `ip` may try again, or 0 when it is not blocked. */
  blockedFor(ip: string, now: number): number {
    const window = this.#windows.get(ip)
    if (window === undefined) return 0
    const endsAt = window.startedAt + this.windowMs
    if (now >= endsAt) {
      this.#windows.delete(ip)
      return 0
    }
    return window.misses >= this.maxMisses ? endsAt - now : 0
  }

  /** Records one unknown key presented by `ip`. */
  recordMiss(ip: string, now: number): void {
    const window = this.#windows.get(ip)
    if (window !== undefined && now < window.startedAt + this.windowMs) {
      window.misses++
      return
    }
    this.#windows.delete(ip)
    if (this.#windows.size >= MAX_TRACKED) {
      // Map iteration is insertion order: the first entry is the oldest window.
      const oldest = this.#windows.keys().next()
      if (oldest.done !== true) this.#windows.delete(oldest.value)
    }
    this.#windows.set(ip, { startedAt: now, misses: 1 })
  }
}
