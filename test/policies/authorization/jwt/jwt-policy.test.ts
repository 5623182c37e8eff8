import { beforeAll, describe, expect, it } from 'vitest'
import { tokenFromSubprotocols } from '../../../../src/policies/authorization/jwt/bearer-token'
import { dataPlane, seedApi } from '../../../support/seed'
import { ECHO, hits } from '../../support'
import {
  AUDIENCE,
  call,
  expectRefused,
  freshPath,
  jwtAuthorizer,
  jwtRoute,
  mint,
  seedJwtApi,
  serveJwks,
  signingKey,
  type SigningKey,
} from './support'

let key: SigningKey
let jwksPath: string

beforeAll(async () => {
  key = await signingKey('RS256')
  jwksPath = freshPath()
  await serveJwks(jwksPath, [key.publicJwk])
})

describe('JWT authorizer on the data plane', () => {
  it('passes a valid token to the upstream and answers its response', async () => {
    const { host } = await seedJwtApi(jwtAuthorizer(jwksPath))
    const tag = crypto.randomUUID()
    const res = await call(host, '/dev/me', tag, `Bearer ${await mint(key)}`)
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    expect(await hits(tag)).toBe(1)
  })

  it('accepts the Bearer prefix in any case, and a bare token', async () => {
    const { host } = await seedJwtApi(jwtAuthorizer(jwksPath))
    const tag = crypto.randomUUID()
    const token = await mint(key)
    for (const value of [`bearer ${token}`, `BEARER ${token}`, `BeArEr  ${token}`, token]) {
      const res = await call(host, '/dev/me', tag, value)
      expect(res.status).toBe(200)
      await res.arrayBuffer()
    }
    expect(await hits(tag)).toBe(4)
  })

  it('answers 401 {"message":"Unauthorized"} without a token, with zero upstream calls', async () => {
    const { host } = await seedJwtApi(jwtAuthorizer(jwksPath))
    const tag = crypto.randomUUID()
    await expectRefused(await call(host, '/dev/me', tag), 401, 'Unauthorized')
    await expectRefused(await call(host, '/dev/me', tag, 'Bearer '), 401, 'Unauthorized')
    await expectRefused(await call(host, '/dev/me', tag, 'Bearer not.a.jwt'), 401, 'Unauthorized')
    expect(await hits(tag)).toBe(0)
  })

  it('answers 401 on a REST API route too, with UnauthorizedException', async () => {
    const { host } = await seedApi({
      protocolType: 'REST',
      routes: [jwtRoute('r1', 'GET /me')],
      integrations: [ECHO],
      apiExtras: { authorizers: [jwtAuthorizer(jwksPath)] },
    })
    const tag = crypto.randomUUID()
    const res = await call(host, '/dev/me', tag, 'Bearer x.y.z')
    expect(res.headers.get('x-amzn-ErrorType')).toBe('UnauthorizedException')
    await expectRefused(res, 401, 'Unauthorized')
    const ok = await call(host, '/dev/me', tag, `Bearer ${await mint(key)}`)
    expect(ok.status).toBe(200)
    await ok.arrayBuffer()
    expect(await hits(tag)).toBe(1)
  })

  it('reads the token from a query string identity source', async () => {
    const authorizer = jwtAuthorizer(jwksPath, {}, { identitySource: ['$request.querystring.t'] })
    const { host } = await seedJwtApi(authorizer)
    const tag = crypto.randomUUID()
    const ok = await call(host, `/dev/me?t=${await mint(key)}`, tag)
    expect(ok.status).toBe(200)
    await ok.arrayBuffer()
    await expectRefused(
      await call(host, '/dev/me', tag, `Bearer ${await mint(key)}`),
      401,
      'Unauthorized'
    )
    expect(await hits(tag)).toBe(1)
  })

  it('fails closed with 500 when the route names an authorizer that does not exist', async () => {
    const route = { ...jwtRoute('r1', 'GET /me'), authorizerId: 'missing' }
    const { host } = await seedJwtApi(jwtAuthorizer(jwksPath), [route])
    const tag = crypto.randomUUID()
    await expectRefused(
      await call(host, '/dev/me', tag, `Bearer ${await mint(key)}`),
      500,
      'Internal Server Error'
    )
    expect(await hits(tag)).toBe(0)
  })

  it('leaves routes without JWT authorization alone', async () => {
    const open = { id: 'r2', routeKey: 'GET /open', integrationId: 'echo' }
    const { host } = await seedJwtApi(jwtAuthorizer(jwksPath), [jwtRoute('r1', 'GET /me'), open])
    const tag = crypto.randomUUID()
    const res = await call(host, '/dev/open', tag)
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    expect(await hits(tag)).toBe(1)
  })
})

describe('JWT authorizer scopes', () => {
  async function scoped() {
    return seedJwtApi(jwtAuthorizer(jwksPath), [jwtRoute('r1', 'GET /me', ['pets:read', 'admin'])])
  }

  it('passes a token whose space-separated "scope" holds one of the route scopes', async () => {
    const { host } = await scoped()
    const tag = crypto.randomUUID()
    const token = await mint(key, { claims: { scope: 'openid pets:read' } })
    const res = await call(host, '/dev/me', tag, `Bearer ${token}`)
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    expect(await hits(tag)).toBe(1)
  })

  it('passes a token whose "scp" array or string holds one of the route scopes', async () => {
    const { host } = await scoped()
    const tag = crypto.randomUUID()
    for (const scp of [['x', 'admin'], 'x admin']) {
      const res = await call(host, '/dev/me', tag, `Bearer ${await mint(key, { claims: { scp } })}`)
      expect(res.status).toBe(200)
      await res.arrayBuffer()
    }
    expect(await hits(tag)).toBe(2)
  })

  it('answers 403 {"message":"Forbidden"} when no route scope is granted, with zero upstream calls', async () => {
    const { host } = await scoped()
    const tag = crypto.randomUUID()
    for (const claims of [
      {},
      { scope: 'pets:write openid' },
      { scope: 'pets:read2' },
      { scope: ['pets:read'] },
      { scp: 'pets' },
      { scp: [['admin']] },
    ]) {
      const res = await call(host, '/dev/me', tag, `Bearer ${await mint(key, { claims })}`)
      await expectRefused(res, 403, 'Forbidden')
    }
    expect(await hits(tag)).toBe(0)
  })

  it('checks the token before the scopes: a bad token with the right scope is 401', async () => {
    const { host } = await scoped()
    const tag = crypto.randomUUID()
    const token = await mint(key, { claims: { scope: 'admin', aud: `${AUDIENCE}-other` } })
    await expectRefused(await call(host, '/dev/me', tag, `Bearer ${token}`), 401, 'Unauthorized')
    expect(await hits(tag)).toBe(0)
  })
})

describe('JWT claims reach the integration', () => {
  it('maps $context.authorizer.claims.sub into an upstream header (HTTP_PROXY parameter mapping)', async () => {
    const integration = {
      ...ECHO,
      requestParameters: {
        'overwrite:header.x-sub': '$context.authorizer.claims.sub',
        'overwrite:header.x-email': '$context.authorizer.claims.email',
        'overwrite:header.x-principal': '$context.authorizer.principalId',
      },
    }
    const { host } = await seedApi({
      protocolType: 'HTTP',
      routes: [jwtRoute('r1', 'GET /me')],
      integrations: [integration],
      apiExtras: { authorizers: [jwtAuthorizer(jwksPath)] },
    })
    const token = await mint(key, { claims: { sub: 'alice', email: 'a@example.com' } })
    const res = await dataPlane(host, '/dev/me', { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    const echo: { headers: Record<string, string> } = await res.json()
    expect(echo.headers['x-sub']).toBe('alice')
    expect(echo.headers['x-email']).toBe('a@example.com')
    expect(echo.headers['x-principal']).toBe('alice')
  })

  it('puts the claims and scopes in a WORKER integration event (payload 2.0: authorizer.jwt)', async () => {
    const { host } = await seedApi({
      protocolType: 'HTTP',
      routes: [{ ...jwtRoute('r1', 'GET /me'), integrationId: 'lambda' }],
      integrations: [{ id: 'lambda', type: 'WORKER', integrationUri: 'worker://DEMO_BACKEND' }],
      apiExtras: { authorizers: [jwtAuthorizer(jwksPath)] },
    })
    const token = await mint(key, { claims: { sub: 'bob', scope: 'a b' } })
    const res = await dataPlane(host, '/dev/me', { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    const body: {
      received: { requestContext: { authorizer: { jwt: { claims: Record<string, unknown> } } } }
    } = await res.json()
    const jwt = body.received.requestContext.authorizer.jwt
    expect(jwt.claims.sub).toBe('bob')
    expect(jwt.claims.iss).toBe('https://idp.example.com/')
    expect(jwt).toMatchObject({ scopes: ['a', 'b'] })
  })
})

describe('JWT from Sec-WebSocket-Protocol (browser WebSocket clients)', () => {
  it('picks the JWS-shaped entry out of the offered subprotocols', () => {
    expect(tokenFromSubprotocols('bearer, aaa.bbb.ccc')).toBe('aaa.bbb.ccc')
    expect(tokenFromSubprotocols('aaa.bbb.ccc,chat')).toBe('aaa.bbb.ccc')
    expect(tokenFromSubprotocols('chat, v2')).toBe('chat, v2')
    expect(tokenFromSubprotocols(undefined)).toBeUndefined()
  })

  it('admits a valid token offered as a subprotocol and refuses a missing or forged one', async () => {
    const authorizer = jwtAuthorizer(
      jwksPath,
      {},
      {
        identitySource: ['$request.header.Sec-WebSocket-Protocol'],
      }
    )
    const { host } = await seedJwtApi(authorizer)
    const tag = crypto.randomUUID()
    const send = (protocols: string | undefined) =>
      dataPlane(host, '/dev/me', {
        headers: {
          'x-test-tag': tag,
          ...(protocols === undefined ? {} : { 'sec-websocket-protocol': protocols }),
        },
      })
    const token = await mint(key)
    const ok = await send(`bearer, ${token}`)
    expect(ok.status).toBe(200)
    await ok.arrayBuffer()
    await expectRefused(await send('bearer, chat'), 401, 'Unauthorized')
    await expectRefused(await send(undefined), 401, 'Unauthorized')
    const forged = `${token.slice(0, -4)}AAAA`
    await expectRefused(await send(`bearer, ${forged}`), 401, 'Unauthorized')
    expect(await hits(tag)).toBe(1)
  })
})
