import { describe, expect, it } from 'vitest'
import { makeRequestContext } from '../support/request-context'
import { build } from './build-helpers'

describe('MOCK integration', () => {
  it('answers with the configured status, headers and body', async () => {
    const handler = build({
      type: 'MOCK',
      mockResponse: { statusCode: 202, headers: { 'X-Mock': 'yes' }, body: 'accepted' },
    })
    const ctx = makeRequestContext()
    const response = await handler(ctx)
    expect(response.status).toBe(202)
    expect(response.headers.get('x-mock')).toBe('yes')
    expect(await response.text()).toBe('accepted')
    expect(ctx.log.integrationStatus).toBe(202)
  })

  it('defaults to an empty 200', async () => {
    const response = await build({ type: 'MOCK' })(makeRequestContext())
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('')
  })

  it('substitutes known $context variables and leaves everything else literal', async () => {
    const handler = build({
      type: 'MOCK',
      mockResponse: {
        statusCode: 200,
        body: 'id=$context.requestId stage=${context.stage} $request.header.x $context.nope',
      },
    })
    const response = await handler(makeRequestContext({ headers: { x: 'secret' } }))
    expect(await response.text()).toBe(
      'id=c0ffee00-0000-4000-8000-000000000001 stage=dev $request.header.x $context.nope'
    )
  })

  it('JSON-escapes substituted values in a JSON body so a caller cannot break out', async () => {
    const handler = build({
      type: 'MOCK',
      mockResponse: {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: '{"ua":"$context.identity.userAgent","admin":false}',
      },
    })
    const ctx = makeRequestContext({ headers: { 'user-agent': 'x","admin":true,"y":"' } })
    const body: unknown = await (await handler(ctx)).json()
    expect(body).toEqual({ ua: 'x","admin":true,"y":"', admin: false })
  })

  it('sends no body for 204', async () => {
    const handler = build({ type: 'MOCK', mockResponse: { statusCode: 204, body: 'ignored' } })
    const response = await handler(makeRequestContext())
    expect(response.status).toBe(204)
    expect(response.body).toBeNull()
  })
})
