/**
 * Lease mode, the isolate side: for a high-rate bucket the isolate takes a small batch of tokens
 * from the object (`lease`), spends them locally without a round trip, and gives back what is
 * left shortly before the object would expire the lease (`release`). Concurrent requests share
 * one lease call per bucket. Bounds (docs/rate-limits.md "Data plane"): every token spent was
 * granted by the object, so a quota is never exceeded; the throttle can run ahead of the strict
 * bucket by at most `rateLimit × LEASE_TTL_MS`. An isolate that dies holding tokens under-grants
 * (the object counts them used); it never over-grants.
 */
import type { LeaseGrant } from '../../rate-limit/lease'

/**
 * Share of the lease TTL the isolate spends tokens in; the rest is slack for the `release` call
 * to reach the object before it expires the lease (an expired lease returns nothing).
 */
export const SPEND_FRACTION = 0.5

/** The batch an isolate holds for one bucket. */
export interface HeldLease {
  readonly leaseId: string
  tokens: number
  /** Local clock (ms) after which the tokens must not be spent. */
  readonly spendUntil: number
  readonly grant: LeaseGrant
}

/** What taking a token gave; `fresh` is a lease just granted (its holder schedules `close`). */
export type Take =
  | { kind: 'token'; lease: HeldLease; fresh: boolean }
  | { kind: 'denied'; grant: LeaseGrant }
  | { kind: 'empty' }

/** Per-isolate leases by bucket (object name + bucket inside it), single-flight lease calls. */
export class LeasePool {
  readonly #held = new Map<string, HeldLease>()
  readonly #inFlight = new Map<string, Promise<LeaseGrant>>()

  #takeLocal(name: string, now: number): HeldLease | undefined {
    const lease = this.#held.get(name)
    if (lease === undefined) return undefined
    if (now >= lease.spendUntil || lease.tokens <= 0) {
      // Leftovers stay on the lease object for `close` to return.
      this.#held.delete(name)
      return undefined
    }
    lease.tokens--
    return lease
  }

  /**
   * Takes one token, leasing a batch with `lease` when none is held (one call per bucket at a
   * time; the others wait for it and take from its grant, or get `empty`).
   */
  async take(name: string, lease: () => Promise<LeaseGrant>, now: () => number): Promise<Take> {
    const held = this.#takeLocal(name, now())
    if (held !== undefined) return { kind: 'token', lease: held, fresh: false }
    const running = this.#inFlight.get(name)
    if (running !== undefined) {
      await running.catch(() => undefined)
      const after = this.#takeLocal(name, now())
      return after === undefined ? { kind: 'empty' } : { kind: 'token', lease: after, fresh: false }
    }
    const call = lease()
    this.#inFlight.set(name, call)
    let grant: LeaseGrant
    try {
      grant = await call
    } finally {
      this.#inFlight.delete(name)
    }
    if (grant.granted <= 0) return { kind: 'denied', grant }
    const fresh: HeldLease = {
      leaseId: grant.leaseId,
      tokens: grant.granted - 1,
      spendUntil: now() + grant.ttlMs * SPEND_FRACTION,
      grant,
    }
    if (fresh.tokens > 0) this.#held.set(name, fresh)
    return { kind: 'token', lease: fresh, fresh: true }
  }

  /** Stops spending `lease`; returns how many of its tokens are left to give back. */
  close(name: string, lease: HeldLease): number {
    if (this.#held.get(name) === lease) this.#held.delete(name)
    const left = lease.tokens
    lease.tokens = 0
    return left
  }
}
