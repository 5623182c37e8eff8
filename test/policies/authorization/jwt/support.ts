/**
 * Helpers for JWT authorizer tests: an identity provider on 127.0.0.1 (test/support/jwks-server)
 * scripted over HTTP, signing keys, token minting with jose, and APIs seeded with a JWT route.
 */
import { env } from 'cloudflare:workers'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'
import { expect } from 'vitest'
import type { AuthorizerConfig, JwtConfiguration, RouteConfig } from '../../../../src/config/types'
import { GatewayError, type GatewayErrorType } from '../../../../src/errors/gateway-error'
import {
  buildJwtHandler,
  type JwtAuthorizerState,
} from '../../../../src/policies/authorization/jwt/jwt-policy'
import { compileJwtSettings } from '../../../../src/policies/authorization/jwt/jwt-settings'
import { KeyCache } from '../../../../src/policies/authorization/jwt/key-cache'
import type { PolicyHandler, RequestContext } from '../../../../src/pipeline/types'
import { dataPlane, seedApi, type Seeded } from '../../../support/seed'
import { makeApi, makeRequestContext, makeRoute } from '../../../support/request-context'
import { ECHO } from '../../support'

function jwksPort(): number {
  const port: unknown = Reflect.get(env, 'JWKS_PORT')
  if (typeof port !== 'number') throw new Error('JWKS_PORT binding missing (test/support)')
  return port
}

/** The test identity provider's base URL. */
export function idpUrl(path = ''): string {
  return `http://127.0.0.1:${String(jwksPort())}${path}`
}

/** A fresh path on the identity provider, unique per call (isolates cache entries). */
export function freshPath(what = 'jwks'): string {
  return `/${what}/${crypto.randomUUID()}`
}

export interface Scripted {
  status?: number
  body?: string
  headers?: Record<string, string>
  delayMs?: number
  sizeBytes?: number
}

/** Tells the provider what `path` answers. */
export async function script(path: string, response: Scripted): Promise<void> {
  const res = await fetch(idpUrl(`/_script${path}`), {
    method: 'PUT',
    body: JSON.stringify(response),
  })
  expect(res.status).toBe(204)
}

/** Serves `keys` as a JWKS at `path`. */
export function serveJwks(path: string, keys: JWK[], headers: Record<string, string> = {}) {
  return script(path, { body: JSON.stringify({ keys }), headers })
}

/** Requests the provider saw for `path`. */
export async function idpHits(path: string): Promise<number> {
  const res = await fetch(idpUrl(`/_hits${path}`))
  const body: { hits: number } = await res.json()
  return body.hits
}

export interface SigningKey {
  readonly privateKey: CryptoKey
  readonly publicJwk: JWK
  readonly alg: string
  readonly kid: string
}

/** A fresh key pair for `alg`; its public JWK carries `kid`, `alg` and `use: sig`. */
export async function signingKey(alg = 'RS256', kid = crypto.randomUUID()): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }
  return { privateKey, publicJwk, alg, kid }
}

export const ISSUER = 'https://idp.example.com/'
export const AUDIENCE = 'portico-api'

/** Seconds since the epoch, now. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000)

export interface MintOptions {
  claims?: Record<string, unknown>
  header?: Record<string, unknown>
  /** Omit the registered claims the default token carries (`exp`, `aud`…). */
  omit?: string[]
}

/** A signed JWT with sensible valid defaults (iss, aud, sub, iat, exp in 5 min). */
export async function mint(key: SigningKey, options: MintOptions = {}): Promise<string> {
  const now = nowSeconds()
  const claims: Record<string, unknown> = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user-42',
    iat: now,
    exp: now + 300,
    ...options.claims,
  }
  for (const name of options.omit ?? []) Reflect.deleteProperty(claims, name)
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...options.header })
    .sign(key.privateKey)
}

/** A JWT authorizer reading keys from `jwksPath` on the test provider. */
export function jwtAuthorizer(
  jwksPath: string | undefined,
  config: Partial<JwtConfiguration> = {},
  extra: Partial<AuthorizerConfig> = {}
): AuthorizerConfig {
  return {
    id: 'jwtauth',
    name: 'test jwt',
    authorizerType: 'JWT',
    identitySource: ['$request.header.Authorization'],
    jwtConfiguration: {
      issuer: ISSUER,
      audience: [AUDIENCE],
      ...(jwksPath === undefined ? {} : { jwksUri: idpUrl(jwksPath) }),
      ...config,
    },
    ...extra,
  }
}

/** A route protected by the `jwtauth` authorizer. */
export function jwtRoute(id: string, routeKey: string, scopes?: string[]): RouteConfig {
  return {
    id,
    routeKey,
    integrationId: 'echo',
    authorizationType: 'JWT',
    authorizerId: 'jwtauth',
    ...(scopes === undefined ? {} : { authorizationScopes: scopes }),
  }
}

/** An HTTP API with one JWT route `GET /me` (and the given extra routes) to the echo upstream. */
export function seedJwtApi(
  authorizer: AuthorizerConfig,
  routes: RouteConfig[] = [jwtRoute('r1', 'GET /me')]
): Promise<Seeded> {
  return seedApi({
    protocolType: 'HTTP',
    stageName: 'dev',
    routes,
    integrations: [ECHO],
    apiExtras: { authorizers: [authorizer] },
  })
}

/** A data-plane call with `authorization` (if given) and an `x-test-tag` for upstream counts. */
export function call(
  host: string,
  path: string,
  tag: string,
  authorization?: string
): Promise<Response> {
  return dataPlane(host, path, {
    headers: {
      'x-test-tag': tag,
      ...(authorization === undefined ? {} : { authorization }),
    },
  })
}

/** Asserts a gateway error response: status and exact `{"message": …}` body. */
export async function expectRefused(res: Response, status: number, message: string) {
  expect(res.status).toBe(status)
  expect(await res.json()).toEqual({ message })
}

/** A key cache and clock of the test's own (fake time, real fetch to the provider). */
export function testState(
  start = Date.now()
): JwtAuthorizerState & { advance: (ms: number) => void } {
  let time = start
  const now = (): number => time
  return {
    now,
    keys: new KeyCache({ now, fetcher: (url, init) => fetch(url, init) }),
    advance: (ms: number) => {
      time += ms
    },
  }
}

/** The JWT step of a `GET /me` route built with `state`, as the pipeline would build it. */
export function handlerFor(
  authorizer: AuthorizerConfig,
  state: JwtAuthorizerState,
  scopes?: string[]
): { handler: PolicyHandler; ctxFor: (authorization?: string) => RequestContext } {
  const route = makeRoute({
    routeKey: 'GET /me',
    authorizationType: 'JWT',
    authorizerId: authorizer.id,
    ...(scopes === undefined ? {} : { authorizationScopes: scopes }),
  })
  const api = makeApi({ allowLoopbackUpstreams: true, authorizers: [authorizer], routes: [route] })
  const settings = compileJwtSettings(api, route)
  if (!settings.ok) expect.fail(settings.error)
  return {
    handler: buildJwtHandler(settings.value, state),
    ctxFor: (authorization) =>
      makeRequestContext({
        api,
        route,
        request: '/dev/me',
        headers: authorization === undefined ? {} : { authorization },
      }),
  }
}

const PASSED = new Response('passed')

/** Runs `handler`: 'passed' when it called next(), else the GatewayError type it threw. */
export async function outcome(
  handler: PolicyHandler,
  ctx: RequestContext
): Promise<'passed' | GatewayErrorType> {
  try {
    const res = await handler(ctx, () => Promise.resolve(PASSED))
    expect(res).toBe(PASSED)
    return 'passed'
  } catch (error) {
    if (error instanceof GatewayError) return error.type
    throw error
  }
}
