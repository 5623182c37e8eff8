import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { preflightHeaders } from '../../../src/policies/cors/cors-headers'
import { corsStateOf } from '../../../src/policies/cors/cors-state'
import { makeApi } from '../../support/seed'
import { APP, STRICT } from './support'

const state = corsStateOf(
  makeApi('tcors00002', {
    protocolType: 'HTTP',
    routes: [],
    integrations: [],
    apiExtras: { corsConfiguration: STRICT },
  })
)
const ALLOWED_HEADERS = new Set(['content-type', 'x-api-key', 'authorization'])

function answer(method: string, requested: string | undefined): Headers {
  if (state === undefined) throw new Error('no CORS state')
  const headers = new Headers({ origin: APP, 'access-control-request-method': method })
  if (requested !== undefined) headers.set('access-control-request-headers', requested)
  return preflightHeaders(state, headers)
}

describe('preflightHeaders', () => {
  it('allows a requested header list exactly when every name is configured (any case, any spacing)', () => {
    const name = fc.oneof(
      fc.constantFrom('content-type', 'X-Api-Key', 'AUTHORIZATION', 'x-evil', 'cookie'),
      fc.stringMatching(/^[A-Za-z-]{1,12}$/)
    )
    fc.assert(
      fc.property(
        fc.array(name, { maxLength: 8 }),
        fc.constantFrom(',', ', ', ' ,'),
        (names, sep) => {
          const allowed = answer('GET', names.join(sep)).has('access-control-allow-origin')
          expect(allowed).toBe(names.every((n) => ALLOWED_HEADERS.has(n.toLowerCase())))
        }
      ),
      { numRuns: 500 }
    )
  })

  it('allows a requested method exactly when it is configured (case-sensitive, as Fetch)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), (method) => {
        const allowed = answer(method, undefined).has('access-control-allow-origin')
        expect(allowed).toBe(['GET', 'POST', 'PUT'].includes(method))
      }),
      { numRuns: 500 }
    )
  })
})
