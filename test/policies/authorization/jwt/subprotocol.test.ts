import { beforeAll, describe, expect, it } from 'vitest'
import { tokenFromSubprotocols } from '../../../../src/policies/authorization/jwt/bearer-token'
import { dataPlane } from '../../../support/seed'
import { hits } from '../../support'
import {
  expectRefused,
  freshPath,
  jwtAuthorizer,
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
