/**
 * Property tests of the request-authorizer step over identity-source values, with an in-memory
 * service binding standing in for the authorizer (the real policy code, no network).
 */
import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AuthorizerConfig } from '../../../../src/config/types'
import { GatewayError } from '../../../../src/errors/gateway-error'
import type { GatewayBindings } from '../../../../src/env'
import { createRequestAuthorizerPolicy } from '../../../../src/policies/authorization/request/request-authorizer-policy'
import { AuthorizerResultCache } from '../../../../src/policies/authorization/request/result-cache'
import { makeApi, makeRequestContext, makeRoute } from '../../../support/request-context'

/** A fake binding that allows tokens starting with `ok` and records every event. */
function fakeAuthorizer() {
  const events: Record<string, unknown>[] = []
  const binding = {
    fetch: async (_url: string, init: RequestInit): Promise<Response> => {
      const event = await new Request('https://fake.invalid/', init).json<Record<string, unknown>>()
      events.push(event)
      const { authorizationToken, identitySource } = event
      const token = Array.isArray(identitySource) ? identitySource[0] : authorizationToken
      const ok = typeof token === 'string' && token.startsWith('ok')
      return Response.json({
        principalId: 'p',
        policyDocument: {
          Statement: [
            { Action: 'execute-api:Invoke', Effect: ok ? 'Allow' : 'Deny', Resource: '*' },
          ],
        },
      })
    },
  }
  return { events, env: { ...env, FAKE_AUTH: binding } as unknown as GatewayBindings }
}

function setup(authorizer: Partial<AuthorizerConfig>, protocolType: 'REST' | 'HTTP' = 'REST') {
  const api = makeApi({
    protocolType,
    authorizers: [
      {
        id: 'a1',
        name: 'fake',
        authorizerType: 'TOKEN',
        authorizerUri: 'worker://FAKE_AUTH',
        identitySource: ['$request.header.x-token'],
        ...authorizer,
      },
    ],
  })
  const route = makeRoute({ routeKey: 'GET /x', authorizationType: 'CUSTOM', authorizerId: 'a1' })
  const policy = createRequestAuthorizerPolicy({
    cache: new AuthorizerResultCache(),
    now: () => 0,
    inFlight: new Map(),
  })
  const handler = policy.build({ api, route, integration: undefined })
  if (handler === undefined) throw new Error('no handler')
  const fake = fakeAuthorizer()
  const run = async (headers: Record<string, string>, query = ''): Promise<number> => {
    const ctx = makeRequestContext({
      api,
      route,
      request: `/dev/x${query}`,
      headers,
      env: fake.env,
    })
    try {
      return (await handler(ctx, () => Promise.resolve(new Response('ok')))).status
    } catch (error) {
      if (error instanceof GatewayError) {
        const statuses: Partial<Record<string, number>> = { UNAUTHORIZED: 401, ACCESS_DENIED: 403 }
        return statuses[error.type] ?? 500
      }
      throw error
    }
  }
  return { run, events: fake.events }
}

/** Header values a client can send (visible ASCII and spaces inside, trimmed by the platform). */
const headerValue = fc
  .string({
    unit: fc.constantFrom(...'abcXYZ019-_.,;:"\\/=+ ~!'.split('')),
    minLength: 1,
    maxLength: 40,
  })
  .filter((v) => v.trim() === v && v !== '')

describe('request authorizer over arbitrary identity values (properties)', () => {
  it('hands the token to the authorizer unchanged and decides by its answer', async () => {
    const { run, events } = setup({})
    await fc.assert(
      fc.asyncProperty(headerValue, async (value) => {
        const status = await run({ 'x-token': value })
        expect(status).toBe(value.startsWith('ok') ? 200 : 403)
        const last = events.at(-1)
        if (last !== undefined && last.authorizationToken === value) return
        // Cached from an earlier run of the same value: the authorizer saw it before.
        expect(events.some((e) => e.authorizationToken === value)).toBe(true)
      }),
      { numRuns: 200 }
    )
  })

  it('calls once per distinct identity tuple and never lets one tuple answer for another', async () => {
    const { run, events } = setup(
      {
        authorizerType: 'REQUEST',
        identitySource: ['$request.header.x-token', '$request.querystring.t'],
      },
      'HTTP'
    )
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(headerValue, fc.stringMatching(/^[a-z0-9,]{1,8}$/)), {
          minLength: 1,
          maxLength: 6,
          selector: (t) => JSON.stringify(t),
        }),
        async (tuples) => {
          const before = events.length
          for (const [value, t] of tuples) {
            const status = await run({ 'x-token': `ok${value}` }, `?t=${encodeURIComponent(t)}`)
            expect(status).toBe(200)
            expect(await run({ 'x-token': `no${value}` }, `?t=${encodeURIComponent(t)}`)).toBe(403)
          }
          const seen = events.slice(before).map((e) => JSON.stringify(e.identitySource))
          expect(new Set(seen).size).toBe(seen.length)
        }
      ),
      { numRuns: 40 }
    )
  })

  it('answers 401 without calling when any identity value is blank', async () => {
    const { run, events } = setup({
      authorizerType: 'REQUEST',
      identitySource: ['$request.header.x-token', '$request.querystring.t'],
    })
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('', ' ', '  '), headerValue, async (blank, value) => {
        expect(await run({ 'x-token': value }, `?t=${encodeURIComponent(blank)}`)).toBe(401)
      }),
      { numRuns: 30 }
    )
    expect(events).toEqual([])
  })
})
