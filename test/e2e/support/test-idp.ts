/**
 * An identity provider for e2e JWT tests: a JWKS with one RS256 key served from 127.0.0.1
 * (test/support/jwks-server.ts), tokens signed with it, and tokens signed with a foreign key the
 * JWKS does not carry.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose'
import { startJwksServer } from '../../support/jwks-server'

export const TEST_ISSUER = 'https://idp.example.com/'
const KID = 'e2e-key-1'

export interface TestIdp {
  /** `http://127.0.0.1:PORT/jwks` — an API using it needs `allowLoopbackUpstreams`. */
  readonly jwksUri: string
  /** Times the gateway fetched the JWKS. */
  jwksHits(): number
  /** A token for `audience` signed with the served key; `claims` override the defaults. */
  sign(claims?: Record<string, unknown>): Promise<string>
  /** The same token signed with a key the JWKS does not carry. */
  signForeign(claims?: Record<string, unknown>): Promise<string>
  close(): Promise<void>
}

function signWith(key: CryptoKey, audience: string, claims: Record<string, unknown>) {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({
    iss: TEST_ISSUER,
    aud: audience,
    sub: 'e2e-user',
    iat: now,
    exp: now + 300,
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: KID })
    .sign(key)
}

export async function startTestIdp(audience: string): Promise<TestIdp> {
  const server = await startJwksServer()
  const pair = await generateKeyPair('RS256')
  const foreign = (await generateKeyPair('RS256')).privateKey
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }
  server.script('/jwks', { body: JSON.stringify({ keys: [jwk] }) })
  return {
    jwksUri: `http://127.0.0.1:${String(server.port)}/jwks`,
    jwksHits: () => server.hits('/jwks'),
    sign: (claims = {}) => signWith(pair.privateKey, audience, claims),
    signForeign: (claims = {}) => signWith(foreign, audience, claims),
    close: () => server.close(),
  }
}
