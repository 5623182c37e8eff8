/**
 * One object per (usage plan, API key) — or per stage/route bucket — holding the token bucket
 * and the quota counter (DESIGN §2). PLACEHOLDER: being written for the API keys / usage plans
 * capability.
 */
import { DurableObject } from 'cloudflare:workers'

export class RateLimiter extends DurableObject {}
