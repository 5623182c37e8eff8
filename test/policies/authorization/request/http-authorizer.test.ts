import { describe, expect, it } from 'vitest'
import { dataPlane, upstream } from '../../../support/seed'
import { httpCalls, receivedEvent, seedAuthorizedApi, token } from './support'

/** A TOKEN authorizer at the loopback upstream's `/authorizer` (plain http: loopback only). */
function httpAuthorizerApi(protocolType: 'REST' | 'HTTP' = 'REST') {
  return seedAuthorizedApi({
    protocolType,
    authorizer:
      protocolType === 'REST'
        ? { authorizerUri: upstream('/authorizer'), authorizerTimeoutInMillis: 300 }
        : {
            authorizerType: 'REQUEST',
            identitySource: ['$request.header.Authorization'],
            authorizerUri: upstream('/authorizer'),
            enableSimpleResponses: true,
          },
  })
}

function get(host: string, auth: string): Promise<Response> {
  return dataPlane(host, '/dev/pets/3', { headers: { authorization: auth } })
}

describe('request authorizer over HTTP(S)', () => {
  it('admits an Allow from the endpoint and forwards its context', async () => {
    const { host } = await httpAuthorizerApi()
    const value = token('allow')
    const event = await receivedEvent(await get(host, value))
    expect((event.requestContext as { authorizer: unknown }).authorizer).toEqual({
      via: 'http',
      user: 'bob',
      principalId: 'http-user',
    })
    expect((await get(host, value)).status).toBe(200)
    expect(await httpCalls(value)).toBe(1)
  })

  it('answers a Deny with 403', async () => {
    const { host } = await httpAuthorizerApi()
    expect((await get(host, token('deny'))).status).toBe(403)
  })

  it('answers an HTTP 401 from the endpoint with 401 Unauthorized', async () => {
    const { host } = await httpAuthorizerApi()
    const res = await get(host, token('unauthorized-401'))
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ message: 'Unauthorized' })
  })

  it.each(['error-500', 'garbage', 'redirect', 'huge', 'slow.2000'])(
    'answers 500 for an endpoint that answers %s, never a pass',
    async (behaviour) => {
      const { host } = await httpAuthorizerApi()
      const value = behaviour.includes('.') ? behaviour : token(behaviour)
      const res = await get(host, value)
      expect(res.status).toBe(500)
      expect(await res.json()).toEqual({ message: 'Internal server error' })
    }
  )

  it('does not follow a redirect from the endpoint', async () => {
    const { host } = await httpAuthorizerApi()
    const value = token('redirect')
    expect((await get(host, value)).status).toBe(500)
    expect(await httpCalls(value)).toBe(1)
  })

  it('accepts simple responses over HTTP for an HTTP API', async () => {
    const { host } = await httpAuthorizerApi('HTTP')
    const event = await receivedEvent(await get(host, token('simple-true')))
    expect((event.requestContext as { authorizer: unknown }).authorizer).toEqual({
      lambda: { via: 'http' },
    })
  })

  it('fails closed when the endpoint is refused by the SSRF guard at load', async () => {
    const { host } = await seedAuthorizedApi({
      authorizer: { authorizerUri: 'https://169.254.169.254/latest' },
    })
    const res = await get(host, token('allow'))
    expect(res.status).toBe(500)
    expect(res.headers.get('x-amzn-ErrorType')).toBe('AuthorizerConfigurationException')
  })

  it('fails closed for a loopback endpoint without allowLoopbackUpstreams', async () => {
    const { host } = await seedAuthorizedApi({
      authorizer: { authorizerUri: upstream('/authorizer') },
      apiExtras: { allowLoopbackUpstreams: false },
    })
    const value = token('allow')
    expect((await get(host, value)).status).toBe(500)
    expect(await httpCalls(value)).toBe(0)
  })
})
