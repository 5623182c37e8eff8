import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { ECHO, hits } from '../../support'
import { seedApi } from '../../../support/seed'
import {
  call,
  expectRefused,
  freshPath,
  handlerFor,
  idpHits,
  idpUrl,
  jwtAuthorizer,
  jwtRoute,
  mint,
  nowSeconds,
  outcome,
  script,
  seedJwtApi,
  serveJwks,
  signingKey,
  testState,
  type SigningKey,
} from './support'

let key: SigningKey
let newKey: SigningKey

const MINUTE = 60_000
const DAY_SECONDS = 86_400

/** A token valid for a day: these tests move their clock forward by minutes or hours. */
async function longLived(signing: SigningKey, header: Record<string, unknown> = {}) {
  return `Bearer ${await mint(signing, { claims: { exp: nowSeconds() + DAY_SECONDS }, header })}`
}

beforeAll(async () => {
  key = await signingKey('RS256')
  newKey = await signingKey('RS256')
})

/** A handler on a fresh JWKS path with a fake clock; `path` is scripted by the test. */
function fresh(scopes?: string[]) {
  const path = freshPath()
  const state = testState()
  const { handler, ctxFor } = handlerFor(jwtAuthorizer(path), state, scopes)
  return { path, state, handler, ctxFor }
}

describe('JWKS fetch failures with a cold cache (500, never a pass)', () => {
  it('answers 500 when the JWKS endpoint is down, with zero upstream calls', async () => {
    const down = `http://127.0.0.1:${String(env.CLOSED_PORT)}/jwks`
    const authorizer = jwtAuthorizer(undefined, { jwksUri: down })
    const { host } = await seedJwtApi(authorizer)
    const tag = crypto.randomUUID()
    const res = await call(host, '/dev/me', tag, `Bearer ${await mint(key)}`)
    await expectRefused(res, 500, 'Internal Server Error')
    expect(await hits(tag)).toBe(0)
  })

  it('times out a JWKS slower than 1.5 s', async () => {
    const { path, handler, ctxFor } = fresh()
    await script(path, { body: JSON.stringify({ keys: [key.publicJwk] }), delayMs: 2500 })
    const token = await longLived(key)
    expect(await outcome(handler, ctxFor(token))).toBe('AUTHORIZER_CONFIGURATION_ERROR')
  })

  it('refuses a JWKS over 64 KiB', async () => {
    const { path, handler, ctxFor } = fresh()
    await script(path, { sizeBytes: 70 * 1024 })
    expect(await outcome(handler, ctxFor(await longLived(key)))).toBe(
      'AUTHORIZER_CONFIGURATION_ERROR'
    )
  })

  it('refuses garbage, non-JWKS JSON, error statuses and redirects (never followed)', async () => {
    const target = freshPath()
    await serveJwks(target, [key.publicJwk])
    const answers = [
      { body: 'this is not json' },
      { body: '{"keys":"nope"}' },
      { body: '[]' },
      { status: 500, body: JSON.stringify({ keys: [key.publicJwk] }) },
      { status: 302, headers: { location: idpUrl(target) } },
    ]
    for (const answer of answers) {
      const { path, handler, ctxFor } = fresh()
      await script(path, answer)
      const result = await outcome(handler, ctxFor(await longLived(key)))
      expect([answer, result]).toEqual([answer, 'AUTHORIZER_CONFIGURATION_ERROR'])
    }
    expect(await idpHits(target)).toBe(0)
  })

  it('refuses the token (401) when the JWKS holds no usable key for it', async () => {
    const privateJwk = { ...key.publicJwk, d: 'AQAB' }
    for (const keys of [
      [{ kty: 'RSA', kid: key.kid }],
      [],
      [privateJwk],
      [{ ...key.publicJwk, use: 'enc' }],
    ]) {
      const { path, handler, ctxFor } = fresh()
      await script(path, { body: JSON.stringify({ keys }) })
      const result = await outcome(handler, ctxFor(`Bearer ${await mint(key)}`))
      expect([keys, result]).toEqual([keys, 'UNAUTHORIZED'])
    }
  })

  it('after a failure waits 5 s before fetching again', async () => {
    const { path, state, handler, ctxFor } = fresh()
    await script(path, { status: 503 })
    const token = await longLived(key)
    expect(await outcome(handler, ctxFor(token))).toBe('AUTHORIZER_CONFIGURATION_ERROR')
    await serveJwks(path, [key.publicJwk])
    expect(await outcome(handler, ctxFor(token))).toBe('AUTHORIZER_CONFIGURATION_ERROR')
    expect(await idpHits(path)).toBe(1)
    state.advance(5_001)
    expect(await outcome(handler, ctxFor(token))).toBe('passed')
    expect(await idpHits(path)).toBe(2)
  })
})

describe('JWKS cache', () => {
  it('shares one fetch between concurrent cold requests', async () => {
    const { path, handler, ctxFor } = fresh()
    await script(path, { body: JSON.stringify({ keys: [key.publicJwk] }), delayMs: 300 })
    const token = await longLived(key)
    const results = await Promise.all(
      Array.from({ length: 10 }, () => outcome(handler, ctxFor(token)))
    )
    expect(results).toEqual(Array<string>(10).fill('passed'))
    expect(await idpHits(path)).toBe(1)
  })

  it('keeps keys 10 minutes by default, then refetches', async () => {
    const { path, state, handler, ctxFor } = fresh()
    await serveJwks(path, [key.publicJwk])
    const token = await longLived(key)
    expect(await outcome(handler, ctxFor(token))).toBe('passed')
    state.advance(10 * MINUTE - 1)
    expect(await outcome(handler, ctxFor(token))).toBe('passed')
    expect(await idpHits(path)).toBe(1)
    state.advance(2)
    expect(await outcome(handler, ctxFor(token))).toBe('passed')
    expect(await idpHits(path)).toBe(2)
  })

  it('follows Cache-Control max-age, clamped to [60 s, 1 h]', async () => {
    for (const [maxAge, keptMs] of [
      [120, 120_000],
      [5, 60_000],
      [0, 60_000],
      [999_999, 60 * MINUTE],
    ] as const) {
      const { path, state, handler, ctxFor } = fresh()
      await serveJwks(path, [key.publicJwk], {
        'cache-control': `public, max-age=${String(maxAge)}`,
      })
      const token = await longLived(key)
      expect(await outcome(handler, ctxFor(token))).toBe('passed')
      state.advance(keptMs - 1)
      expect(await outcome(handler, ctxFor(token))).toBe('passed')
      expect([maxAge, await idpHits(path)]).toEqual([maxAge, 1])
      state.advance(2)
      expect(await outcome(handler, ctxFor(token))).toBe('passed')
      expect([maxAge, await idpHits(path)]).toEqual([maxAge, 2])
    }
  })

  it('serves the last good keys when a refresh fails (stale-if-error), for at most 1 h', async () => {
    const { path, state, handler, ctxFor } = fresh()
    await serveJwks(path, [key.publicJwk])
    const token = await longLived(key)
    expect(await outcome(handler, ctxFor(token))).toBe('passed')
    for (const failure of [{ status: 500 }, { body: 'garbage' }, { sizeBytes: 100_000 }]) {
      await script(path, failure)
      state.advance(11 * MINUTE)
      expect(await outcome(handler, ctxFor(token))).toBe('passed')
    }
    // Fetched at 0, fresh until 10 min, stale keys usable until 70 min: now at 33 min.
    state.advance(38 * MINUTE)
    expect(await outcome(handler, ctxFor(token))).toBe('AUTHORIZER_CONFIGURATION_ERROR')
  })

  it('serves stale keys while the provider is too slow', async () => {
    const { path, state, handler, ctxFor } = fresh()
    await serveJwks(path, [key.publicJwk])
    const token = await longLived(key)
    expect(await outcome(handler, ctxFor(token))).toBe('passed')
    await script(path, { body: JSON.stringify({ keys: [] }), delayMs: 2500 })
    state.advance(11 * MINUTE)
    expect(await outcome(handler, ctxFor(token))).toBe('passed')
  })
})

describe('unknown kid cool-down', () => {
  it('a burst of random kids causes at most one refetch per 30 s cool-down', async () => {
    const { path, state, handler, ctxFor } = fresh()
    await serveJwks(path, [key.publicJwk])
    expect(await outcome(handler, ctxFor(await longLived(key)))).toBe('passed')
    const burst = async () => {
      const tokens = await Promise.all(
        Array.from({ length: 25 }, () => longLived(key, { kid: crypto.randomUUID() }))
      )
      return Promise.all(tokens.map((token) => outcome(handler, ctxFor(token))))
    }
    expect(new Set(await burst())).toEqual(new Set(['UNAUTHORIZED']))
    expect(await idpHits(path)).toBe(1)
    state.advance(30_001)
    expect(new Set(await burst())).toEqual(new Set(['UNAUTHORIZED']))
    expect(await idpHits(path)).toBe(2)
    expect(new Set(await burst())).toEqual(new Set(['UNAUTHORIZED']))
    expect(await idpHits(path)).toBe(2)
  })

  it('picks up a rotated key on the first unknown kid after the cool-down', async () => {
    const { path, state, handler, ctxFor } = fresh()
    await serveJwks(path, [key.publicJwk])
    expect(await outcome(handler, ctxFor(await longLived(key)))).toBe('passed')
    await serveJwks(path, [key.publicJwk, newKey.publicJwk])
    const rotated = await longLived(newKey)
    expect(await outcome(handler, ctxFor(rotated))).toBe('UNAUTHORIZED')
    state.advance(30_001)
    expect(await outcome(handler, ctxFor(rotated))).toBe('passed')
    expect(await outcome(handler, ctxFor(await longLived(key)))).toBe('passed')
    expect(await idpHits(path)).toBe(2)
  })
})

describe('OIDC discovery and key URL checks', () => {
  async function discoveryApi(document: Record<string, unknown> | string) {
    const tenant = freshPath('tenant')
    const issuer = idpUrl(tenant)
    const body = typeof document === 'string' ? document : JSON.stringify({ issuer, ...document })
    await script(`${tenant}/.well-known/openid-configuration`, { body })
    const { host } = await seedJwtApi(jwtAuthorizer(undefined, { issuer }))
    return { host, issuer, tenant }
  }

  it('finds the JWKS through {issuer}/.well-known/openid-configuration', async () => {
    const jwks = freshPath()
    await serveJwks(jwks, [key.publicJwk])
    const { host, issuer, tenant } = await discoveryApi({ jwks_uri: idpUrl(jwks) })
    const tag = crypto.randomUUID()
    const res = await call(
      host,
      '/dev/me',
      tag,
      `Bearer ${await mint(key, { claims: { iss: issuer } })}`
    )
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    expect(await idpHits(`${tenant}/.well-known/openid-configuration`)).toBe(1)
    expect(await idpHits(jwks)).toBe(1)
  })

  it('answers 500 when discovery names another issuer, a private or a plain-http JWKS', async () => {
    const jwks = freshPath()
    await serveJwks(jwks, [key.publicJwk])
    for (const document of [
      { jwks_uri: idpUrl(jwks), issuer: 'https://other.example.com' },
      { jwks_uri: 'http://169.254.169.254/latest/meta-data' },
      { jwks_uri: 'http://10.0.0.7/jwks' },
      { jwks_uri: 'http://idp.example.com/jwks' },
      { jwks_uri: 42 },
      'not json',
    ]) {
      const { host, issuer } = await discoveryApi(document)
      const tag = crypto.randomUUID()
      const token = await mint(key, { claims: { iss: issuer } })
      const res = await call(host, '/dev/me', tag, `Bearer ${token}`)
      expect([document, res.status]).toEqual([document, 500])
      await res.arrayBuffer()
      expect(await hits(tag)).toBe(0)
    }
    expect(await idpHits(jwks)).toBe(0)
  })

  it('checks a jwksUri built from stage variables after substitution (SSRF guard)', async () => {
    const jwks = freshPath()
    await serveJwks(jwks, [key.publicJwk])
    const authorizer = jwtAuthorizer(undefined, {
      jwksUri: 'http://${stageVariables.idp}' + jwks,
    })
    const token = await longLived(key)
    const seedWith = (idp: string) =>
      seedApi({
        protocolType: 'HTTP',
        routes: [jwtRoute('r1', 'GET /me')],
        integrations: [ECHO],
        variables: { idp },
        apiExtras: { authorizers: [authorizer] },
      })
    const tag = crypto.randomUUID()
    const good = await seedWith(new URL(idpUrl()).host)
    const ok = await call(good.host, '/dev/me', tag, token)
    expect(ok.status).toBe(200)
    await ok.arrayBuffer()
    for (const idp of ['169.254.169.254', '10.1.2.3:8080', 'metadata.google.internal']) {
      const bad = await seedWith(idp)
      await expectRefused(await call(bad.host, '/dev/me', tag, token), 500, 'Internal Server Error')
    }
    expect(await hits(tag)).toBe(1)
  })
})
