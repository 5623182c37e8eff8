import {
  base64url,
  CompactEncrypt,
  CompactSign,
  exportJWK,
  exportSPKI,
  FlattenedSign,
  generateKeyPair,
  importJWK,
  SignJWT,
} from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { hits } from '../../support'
import {
  AUDIENCE,
  call,
  expectRefused,
  freshPath,
  handlerFor,
  idpHits,
  idpUrl,
  ISSUER,
  jwtAuthorizer,
  mint,
  nowSeconds,
  outcome,
  seedJwtApi,
  serveJwks,
  signingKey,
  testState,
  type SigningKey,
} from './support'

let key: SigningKey
let ecKey: SigningKey
let attacker: SigningKey
let jwksPath: string
let attackerJwksPath: string
let host: string

const text = new TextEncoder()
const b64 = (value: unknown): string => base64url.encode(text.encode(JSON.stringify(value)))

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowSeconds()
  return { iss: ISSUER, aud: AUDIENCE, sub: 'mallory', iat: now, exp: now + 300, ...extra }
}

beforeAll(async () => {
  key = await signingKey('RS256')
  ecKey = await signingKey('ES256')
  attacker = await signingKey('RS256', 'attacker-kid')
  jwksPath = freshPath()
  attackerJwksPath = freshPath('attacker')
  await serveJwks(jwksPath, [key.publicJwk, ecKey.publicJwk])
  await serveJwks(attackerJwksPath, [attacker.publicJwk])
  ;({ host } = await seedJwtApi(jwtAuthorizer(jwksPath)))
})

/** Every token in `tokens` is refused with 401 and none reaches the upstream. */
async function expectAllUnauthorized(tokens: string[]): Promise<void> {
  const tag = crypto.randomUUID()
  for (const token of tokens) {
    await expectRefused(await call(host, '/dev/me', tag, `Bearer ${token}`), 401, 'Unauthorized')
  }
  expect(await hits(tag)).toBe(0)
}

describe('algorithm attacks', () => {
  it('refuses HS256 tokens signed with the RSA public key as the HMAC secret (key confusion)', async () => {
    const pem = await exportSPKI(await importPublic(key))
    const jwk = key.publicJwk
    const secrets = [text.encode(pem), text.encode(JSON.stringify(jwk)), text.encode(jwk.n ?? '')]
    const tokens = await Promise.all(
      secrets.map((secret) =>
        new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: key.kid }).sign(secret)
      )
    )
    await expectAllUnauthorized(tokens)
  })

  it('refuses alg "none" in every spelling, with or without a signature', async () => {
    const payload = b64(claims())
    const tokens = ['none', 'None', 'NONE', 'nOnE'].flatMap((alg) => [
      `${b64({ alg, kid: key.kid })}.${payload}.`,
      `${b64({ alg, kid: key.kid })}.${payload}.${b64('sig')}`,
    ])
    await expectAllUnauthorized(tokens)
  })

  it('refuses a valid ES256 signature when only RS256 is allowed (alg pinned by config)', async () => {
    await expectAllUnauthorized([await mint(ecKey)])
  })

  it('accepts ES256 once the authorizer allows it', async () => {
    const { host: esHost } = await seedJwtApi(jwtAuthorizer(jwksPath, { algorithms: ['ES256'] }))
    const tag = crypto.randomUUID()
    const res = await call(esHost, '/dev/me', tag, `Bearer ${await mint(ecKey)}`)
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    await expectRefused(
      await call(esHost, '/dev/me', tag, `Bearer ${await mint(key)}`),
      401,
      'Unauthorized'
    )
  })

  it('refuses an RS256 header on a token whose key is an EC key (kty/alg mismatch)', async () => {
    const token = await mint(ecKey)
    const [, payload, signature] = token.split('.')
    const forged = `${b64({ alg: 'RS256', kid: ecKey.kid })}.${String(payload)}.${String(signature)}`
    await expectAllUnauthorized([forged])
  })
})

async function importPublic(signing: SigningKey) {
  const imported = await importJWK(signing.publicJwk, signing.alg)
  if (imported instanceof Uint8Array) throw new Error('expected an asymmetric key')
  return imported
}

describe('weak keys', () => {
  it('refuses a token signed with a 1024-bit RSA key even when the JWKS publishes that key', async () => {
    const params = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
    const generated = await crypto.subtle.generateKey(
      { ...params, modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]) },
      true,
      ['sign', 'verify']
    )
    if (!('privateKey' in generated)) throw new Error('expected a key pair')
    const weak = generated
    const path = freshPath()
    const jwk = { ...(await exportJWK(weak.publicKey)), kid: 'weak', alg: 'RS256', use: 'sig' }
    await serveJwks(path, [jwk])
    const { host: weakHost } = await seedJwtApi(jwtAuthorizer(path))
    // jose refuses to sign with a short key, so the token is signed by hand.
    const input = `${b64({ alg: 'RS256', kid: 'weak' })}.${b64(claims())}`
    const signature = await crypto.subtle.sign(params, weak.privateKey, text.encode(input))
    const token = `${input}.${base64url.encode(new Uint8Array(signature))}`
    const tag = crypto.randomUUID()
    await expectRefused(
      await call(weakHost, '/dev/me', tag, `Bearer ${token}`),
      401,
      'Unauthorized'
    )
    expect(await hits(tag)).toBe(0)
  })
})

describe('kid injection', () => {
  it('refuses tokens whose kid is a path, SQL or huge, without refetching inside the cool-down', async () => {
    const path = freshPath()
    await serveJwks(path, [key.publicJwk])
    const { host: kidHost } = await seedJwtApi(jwtAuthorizer(path))
    const tag = crypto.randomUUID()
    const ok = await call(kidHost, '/dev/me', tag, `Bearer ${await mint(key)}`)
    expect(ok.status).toBe(200)
    await ok.arrayBuffer()
    const before = await idpHits(path)
    for (const kid of [
      '../../../../etc/passwd',
      `${key.kid}/../${key.kid}`,
      "' OR '1'='1' --",
      '"; DROP TABLE keys; --',
      'x'.repeat(6000),
      `${key.kid}\u0000`,
    ]) {
      const token = await mint(key, { header: { kid } })
      await expectRefused(
        await call(kidHost, '/dev/me', tag, `Bearer ${token}`),
        401,
        'Unauthorized'
      )
    }
    expect(await hits(tag)).toBe(1)
    // Within the cool-down after the first fetch, unknown kids cause no refetch at all.
    expect((await idpHits(path)) - before).toBe(0)
  })
})

describe('registered claims', () => {
  it('refuses issuer and audience mismatches, and tokens without exp', async () => {
    await expectAllUnauthorized([
      await mint(key, { claims: { iss: 'https://evil.example.com/' } }),
      await mint(key, { claims: { iss: `${ISSUER}x` } }),
      await mint(key, { omit: ['iss'] }),
      await mint(key, { claims: { aud: 'another-api' } }),
      await mint(key, { claims: { aud: ['another-api', 'third'] } }),
      await mint(key, { omit: ['aud'] }),
      await mint(key, { omit: ['aud'], claims: { client_id: 'another-api' } }),
      await mint(key, { omit: ['exp'] }),
      await mint(key, { claims: { exp: String(nowSeconds() + 300) } }),
      await mint(key, { claims: { nbf: 'now' } }),
    ])
  })

  it('accepts an audience array containing the API, and client_id when aud is absent (AWS)', async () => {
    const tag = crypto.randomUUID()
    for (const token of [
      await mint(key, { claims: { aud: ['other', AUDIENCE] } }),
      await mint(key, { omit: ['aud'], claims: { client_id: AUDIENCE } }),
    ]) {
      const res = await call(host, '/dev/me', tag, `Bearer ${token}`)
      expect(res.status).toBe(200)
      await res.arrayBuffer()
    }
    expect(await hits(tag)).toBe(2)
  })

  it('refuses expired, not-yet-valid and future-issued tokens', async () => {
    const now = nowSeconds()
    await expectAllUnauthorized([
      await mint(key, { claims: { exp: now - 1 } }),
      await mint(key, { claims: { exp: now - 3600, iat: now - 7200 } }),
      await mint(key, { claims: { nbf: now + 120 } }),
      await mint(key, { claims: { iat: now + 120 } }),
    ])
  })

  it('applies the clock leeway exactly at its boundaries', async () => {
    const path = freshPath()
    await serveJwks(path, [key.publicJwk])
    const state = testState(Date.UTC(2026, 0, 1, 12, 0, 0))
    const now = Math.floor(state.now() / 1000)
    const { handler, ctxFor } = handlerFor(jwtAuthorizer(path, { clockLeewaySeconds: 30 }), state)
    const check = async (extra: Record<string, unknown>) =>
      outcome(
        handler,
        ctxFor(`Bearer ${await mint(key, { claims: { iat: now - 100, ...extra } })}`)
      )
    // exp: valid while now < exp + leeway.
    expect(await check({ exp: now - 29 })).toBe('passed')
    expect(await check({ exp: now - 30 })).toBe('UNAUTHORIZED')
    // nbf: valid once now >= nbf - leeway.
    expect(await check({ exp: now + 60, nbf: now + 30 })).toBe('passed')
    expect(await check({ exp: now + 60, nbf: now + 31 })).toBe('UNAUTHORIZED')
    // iat: not after now + leeway.
    expect(await check({ exp: now + 60, iat: now + 30 })).toBe('passed')
    expect(await check({ exp: now + 60, iat: now + 31 })).toBe('UNAUTHORIZED')
  })

  it('has no leeway by default: exp equal to now is expired', async () => {
    const path = freshPath()
    await serveJwks(path, [key.publicJwk])
    const state = testState(Date.UTC(2026, 0, 1, 12, 0, 0))
    const now = Math.floor(state.now() / 1000)
    const { handler, ctxFor } = handlerFor(jwtAuthorizer(path), state)
    const token = (exp: number) => mint(key, { claims: { iat: now - 10, exp } })
    expect(await outcome(handler, ctxFor(`Bearer ${await token(now + 1)}`))).toBe('passed')
    expect(await outcome(handler, ctxFor(`Bearer ${await token(now)}`))).toBe('UNAUTHORIZED')
  })
})

describe('key-carrying headers are ignored', () => {
  it('never fetches a jku/x5u URL and refuses the attacker-signed token', async () => {
    const url = idpUrl(attackerJwksPath)
    const tokens = [
      await mint(attacker, { header: { jku: url } }),
      await mint(attacker, { header: { x5u: url } }),
      await mint(attacker, { header: { jku: url, kid: key.kid } }),
    ]
    await expectAllUnauthorized(tokens)
    expect(await idpHits(attackerJwksPath)).toBe(0)
  })

  it('refuses a token carrying its own key in "jwk" or a certificate in "x5c"', async () => {
    const embedded = await exportJWK(await importPublic(attacker))
    await expectAllUnauthorized([
      await mint(attacker, { header: { jwk: embedded } }),
      await mint(attacker, { header: { jwk: embedded, kid: key.kid } }),
      await mint(attacker, { header: { x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'] } }),
    ])
  })

  it('still verifies a genuine token that carries jku/jwk headers, against the JWKS only', async () => {
    const embedded = await exportJWK(await importPublic(attacker))
    const token = await mint(key, {
      header: { jku: idpUrl(attackerJwksPath), jwk: embedded, x5u: idpUrl(attackerJwksPath) },
    })
    const tag = crypto.randomUUID()
    const res = await call(host, '/dev/me', tag, `Bearer ${token}`)
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    expect(await idpHits(attackerJwksPath)).toBe(0)
  })
})

describe('token shapes', () => {
  it('refuses a JWE without decrypting it', async () => {
    const { publicKey } = await generateKeyPair('RSA-OAEP-256')
    const jwe = await new CompactEncrypt(text.encode(JSON.stringify(claims())))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: key.kid })
      .encrypt(publicKey)
    expect(jwe.split('.')).toHaveLength(5)
    await expectAllUnauthorized([jwe])
  })

  it('refuses an oversized token before fetching any key', async () => {
    const path = freshPath()
    await serveJwks(path, [key.publicJwk])
    const { host: bigHost } = await seedJwtApi(jwtAuthorizer(path))
    // Over the 8 KiB token cap, under the gateway's 10 KiB header cap (which would answer 431).
    const token = await mint(key, { claims: { pad: 'x'.repeat(6000) } })
    expect(token.length).toBeGreaterThan(8 * 1024)
    expect(token.length).toBeLessThan(9 * 1024)
    const tag = crypto.randomUUID()
    await expectRefused(await call(bigHost, '/dev/me', tag, `Bearer ${token}`), 401, 'Unauthorized')
    expect(await idpHits(path)).toBe(0)
    expect(await hits(tag)).toBe(0)
  })

  it('refuses the JSON serialisations of a valid signature', async () => {
    const flattened = await new FlattenedSign(text.encode(JSON.stringify(claims())))
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .sign(key.privateKey)
    const general = { payload: flattened.payload, signatures: [flattened] }
    await expectAllUnauthorized([JSON.stringify(flattened), JSON.stringify(general)])
  })

  it('refuses a payload that is not a JSON object, even when correctly signed', async () => {
    const sign = (payload: string) =>
      new CompactSign(text.encode(payload))
        .setProtectedHeader({ alg: 'RS256', kid: key.kid })
        .sign(key.privateKey)
    await expectAllUnauthorized([await sign('[1,2]'), await sign('"sub"'), await sign('not json')])
  })
})
