import { describe, expect, it } from 'vitest'
import { dataPlane } from '../../../support/seed'
import { bindingCalls, receivedEvent, seedAuthorizedApi, token } from './support'

function get(host: string, auth: string | undefined, path = '/dev/pets/7'): Promise<Response> {
  return dataPlane(host, path, { headers: auth === undefined ? {} : { authorization: auth } })
}

async function expectStatus(res: Response, status: number, message: string): Promise<void> {
  expect(res.status).toBe(status)
  expect(await res.json()).toEqual({ message })
}

describe('TOKEN authorizer over a service binding (REST)', () => {
  it('admits an Allow and passes principalId and scalar context to the Lambda event', async () => {
    const { host } = await seedAuthorizedApi()
    const event = await receivedEvent(await get(host, token('allow')))
    const context = event.requestContext as { authorizer: Record<string, unknown> }
    // AWS: only string, number and boolean context values are forwarded.
    expect(context.authorizer).toEqual({ user: 'alice', n: 42, ok: true, principalId: 'user-1' })
  })

  it('sends the AWS TOKEN event with the methodArn of this request', async () => {
    const { host, apiId } = await seedAuthorizedApi()
    const res = await get(host, token('echo'), '/dev/pets/7?q=1')
    const event = await receivedEvent(res)
    const authorizer = (event.requestContext as { authorizer: { event: string } }).authorizer
    const sent: unknown = JSON.parse(authorizer.event)
    expect(sent).toEqual({
      type: 'TOKEN',
      authorizationToken: expect.stringMatching(/^echo\./),
      methodArn: `arn:aws:execute-api:us-east-1:000000000000:${apiId}/dev/GET/pets/7`,
    })
  })

  it('answers an explicit Deny with 403 and AWS wording', async () => {
    const { host } = await seedAuthorizedApi()
    const res = await get(host, token('deny'))
    await expectStatus(
      res,
      403,
      'User is not authorized to access this resource with an explicit deny'
    )
    expect(res.headers.get('x-amzn-ErrorType')).toBe('AccessDeniedException')
  })

  it('lets an explicit Deny win over a matching Allow', async () => {
    const { host } = await seedAuthorizedApi()
    await expectStatus(
      await get(host, token('deny-beats-allow')),
      403,
      'User is not authorized to access this resource with an explicit deny'
    )
  })

  it('answers 403 when no Allow matches the ARN', async () => {
    const { host } = await seedAuthorizedApi()
    await expectStatus(
      await get(host, token('elsewhere')),
      403,
      'User is not authorized to access this resource'
    )
  })

  it('matches wildcard resources, and applies a cached policy to other methods (AWS)', async () => {
    const { host } = await seedAuthorizedApi()
    const getOnly = token('allow-get')
    expect((await get(host, getOnly, '/dev/pets/1')).status).toBe(200)
    expect((await get(host, getOnly, '/dev/pets/2')).status).toBe(200)
    const post = await dataPlane(host, '/dev/pets/1', {
      method: 'POST',
      headers: { authorization: getOnly },
      body: '{}',
    })
    await expectStatus(post, 403, 'User is not authorized to access this resource')
    expect(await bindingCalls(getOnly)).toBe(1)
  })

  it('refuses a missing token with 401 without calling the authorizer', async () => {
    const { host } = await seedAuthorizedApi()
    await expectStatus(await get(host, undefined), 401, 'Unauthorized')
    await expectStatus(await get(host, '   '), 401, 'Unauthorized')
    expect(await bindingCalls('')).toBe(0)
  })

  it('refuses a token failing identityValidationExpression with 401 and no call', async () => {
    const { host } = await seedAuthorizedApi({
      authorizer: { identityValidationExpression: 'allow\\.[0-9a-f-]{36}' },
    })
    const bad = token('allow', 'not-a-uuid')
    await expectStatus(await get(host, bad), 401, 'Unauthorized')
    expect(await bindingCalls(bad)).toBe(0)
    expect((await get(host, token('allow'))).status).toBe(200)
  })

  it.each([
    ['unauthorized-401', 401, 'Unauthorized'],
    ['unauthorized-body', 401, 'Unauthorized'],
    ['error-500', 500, 'Internal server error'],
    ['garbage', 500, 'Internal server error'],
    ['throws', 500, 'Internal server error'],
  ])('answers an authorizer that says %s with %i, never a pass', async (behaviour, status, msg) => {
    const { host } = await seedAuthorizedApi()
    await expectStatus(await get(host, token(behaviour)), status, msg)
  })

  it('answers a timed-out authorizer with 500 and does not cache the failure', async () => {
    const { host } = await seedAuthorizedApi({ authorizer: { authorizerTimeoutInMillis: 100 } })
    const slow = token('slow', '1000')
    await expectStatus(await get(host, slow), 500, 'Internal server error')
    await expectStatus(await get(host, slow), 500, 'Internal server error')
    expect(await bindingCalls(slow)).toBe(2)
  })

  it('fails closed with 500 when the authorizer binding does not exist', async () => {
    const { host } = await seedAuthorizedApi({ authorizer: { authorizerUri: 'worker://NO_SUCH' } })
    const res = await get(host, token('allow'))
    await expectStatus(res, 500, 'Internal server error')
    expect(res.headers.get('x-amzn-ErrorType')).toBe('AuthorizerConfigurationException')
  })

  it('fails a route naming an unknown authorizer closed with 500, never unauthenticated', async () => {
    const { host } = await seedAuthorizedApi({ apiExtras: { authorizers: [] } })
    const res = await get(host, token('allow'))
    await expectStatus(res, 500, 'Internal server error')
    expect(res.headers.get('x-amzn-ErrorType')).toBe('AuthorizerConfigurationException')
  })

  it('keeps __proto__ and constructor context keys as plain data', async () => {
    const { host } = await seedAuthorizedApi()
    const event = await receivedEvent(await get(host, token('proto')))
    const authorizer = (event.requestContext as { authorizer: Record<string, unknown> }).authorizer
    expect(Object.getPrototypeOf(authorizer)).toBe(Object.prototype)
    expect(Object.keys(authorizer).sort()).toEqual([
      '__proto__',
      'constructor',
      'ok',
      'principalId',
    ])
    expect(authorizer.ok).toBe('yes')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
