import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { executeApiArn, wildcardMatch } from '../../../../src/policies/authorization/request/arn'
import { makeApi, makeRequestContext, makeRoute } from '../../../support/request-context'
import {
  evaluate,
  parseAuthorizerOutput,
  sanitizeContext,
  type AuthorizerDecision,
} from '../../../../src/policies/authorization/request/decision'

const ARN = 'arn:aws:execute-api:us-east-1:000000000000:abc123defg/dev/GET/pets/7'

function policy(statements: unknown, extra: Record<string, unknown> = {}): AuthorizerDecision {
  const parsed = parseAuthorizerOutput(
    { principalId: 'p', policyDocument: { Statement: statements }, ...extra },
    false
  )
  if (!parsed.ok) throw new Error(parsed.error)
  return parsed.value
}

const allow = (resource: unknown) => ({
  Effect: 'Allow',
  Action: 'execute-api:Invoke',
  Resource: resource,
})
const deny = (resource: unknown) => ({
  Effect: 'Deny',
  Action: 'execute-api:*',
  Resource: resource,
})

/** Reference semantics of an IAM wildcard, through an escaped regular expression. */
function reference(pattern: string, text: string): boolean {
  const source = pattern
    .split('')
    .map((c) =>
      c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')
    )
    .join('')
  return new RegExp(`^${source}$`).test(text)
}

describe('IAM wildcard resources', () => {
  it.each([
    ['*', true],
    [ARN, true],
    ['arn:aws:execute-api:us-east-1:000000000000:abc123defg/*', true],
    ['arn:aws:execute-api:*:*:abc123defg/*/GET/*', true],
    ['arn:aws:execute-api:us-east-1:000000000000:abc123defg/dev/GET/pets/?', true],
    ['arn:aws:execute-api:us-east-1:000000000000:abc123defg/dev/POST/*', false],
    ['arn:aws:execute-api:us-east-1:000000000000:abc123defg/dev/GET/pets', false],
    ['arn:aws:execute-api:us-east-1:000000000000:other/*', false],
  ])('%s matches the request ARN: %s', (pattern, expected) => {
    expect(wildcardMatch(pattern, ARN)).toBe(expected)
  })

  it('agrees with the reference semantics on arbitrary patterns (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', '/', ':', '*', '?')
    fc.assert(
      fc.property(
        fc.string({ unit: alphabet, maxLength: 12 }),
        fc.string({ unit: fc.constantFrom('a', 'b', '/', ':'), maxLength: 12 }),
        (pattern, text) => {
          expect(wildcardMatch(pattern, text)).toBe(reference(pattern, text))
        }
      ),
      { numRuns: 2000 }
    )
  })

  it('stays linear on a pathological pattern', () => {
    const text = 'a'.repeat(5000)
    expect(wildcardMatch(`${'*a'.repeat(500)}b`, text)).toBe(false)
  })
})

describe('policy evaluation', () => {
  it('allows on a matching Allow and refuses without one', () => {
    expect(evaluate(policy([allow(ARN)]), ARN)).toBe('allow')
    expect(evaluate(policy([allow('arn:aws:execute-api:*:*:x/*')]), ARN)).toBe('no-allow')
    expect(evaluate(policy([]), ARN)).toBe('no-allow')
  })

  it('lets an explicit Deny win whatever the statement order', () => {
    expect(evaluate(policy([allow('*'), deny(ARN)]), ARN)).toBe('deny')
    expect(evaluate(policy([deny([ARN]), allow('*')]), ARN)).toBe('deny')
  })

  it('ignores statements about other actions', () => {
    const other = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }
    expect(evaluate(policy([other]), ARN)).toBe('no-allow')
  })

  it('does not apply an Allow it cannot evaluate, but applies such a Deny (fail closed)', () => {
    const conditional = { ...allow('*'), Condition: { IpAddress: { 'aws:SourceIp': '1.2.3.4' } } }
    expect(evaluate(policy([conditional]), ARN)).toBe('no-allow')
    const notResource = { Effect: 'Deny', Action: 'execute-api:Invoke', NotResource: 'x' }
    expect(evaluate(policy([allow('*'), notResource]), ARN)).toBe('deny')
  })

  it('accepts a single Statement object and a lower-case effect', () => {
    expect(evaluate(policy({ ...allow(ARN), Effect: 'allow' }), ARN)).toBe('allow')
  })

  it.each([
    [{ principalId: 'p' }, 'policyDocument is missing or not an object'],
    [
      { policyDocument: { Statement: [{ Effect: 'Maybe', Resource: '*' }] } },
      'a statement Effect is not Allow or Deny',
    ],
    [
      { policyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: [1] }] } },
      'a Resource is not a string',
    ],
    [[], 'the answer is not a JSON object'],
    [null, 'the answer is not a JSON object'],
  ])('refuses a malformed answer (%j)', (value, message) => {
    expect(parseAuthorizerOutput(value, false)).toEqual({ ok: false, error: message })
  })

  it('reads AWS Unauthorized in every form', () => {
    for (const value of [
      'Unauthorized',
      { message: 'Unauthorized' },
      { errorMessage: 'Unauthorized' },
    ]) {
      expect(parseAuthorizerOutput(value, false)).toEqual({
        ok: true,
        value: { kind: 'unauthorized' },
      })
    }
  })

  it('requires a boolean isAuthorized in simple responses', () => {
    expect(parseAuthorizerOutput({ isAuthorized: 'true' }, true).ok).toBe(false)
    expect(evaluate(policyOrFail(parseAuthorizerOutput({ isAuthorized: true }, true)), ARN)).toBe(
      'allow'
    )
  })
})

function policyOrFail(result: ReturnType<typeof parseAuthorizerOutput>): AuthorizerDecision {
  if (!result.ok) throw new Error(result.error)
  return result.value
}

describe('authorizer context', () => {
  it('keeps strings, finite numbers and booleans only', () => {
    expect(
      sanitizeContext({ s: 'x', n: 1.5, b: false, o: { a: 1 }, l: [1], z: null, inf: Infinity })
    ).toEqual({ s: 'x', n: 1.5, b: false })
  })

  it('keeps __proto__ as an own data key without touching any prototype', () => {
    const parsed: unknown = JSON.parse(
      '{"__proto__":{"polluted":"yes"},"constructor":"c","ok":"1"}'
    )
    const context = sanitizeContext(parsed) ?? {}
    expect(Object.getPrototypeOf(context)).toBe(Object.prototype)
    expect(Object.keys(context).sort()).toEqual(['constructor', 'ok'])
    const withString = sanitizeContext(JSON.parse('{"__proto__":"str"}')) ?? {}
    expect(Object.hasOwn(withString, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('execute-api ARN', () => {
  it('names method and canonical path, or the route key on WebSocket APIs', () => {
    const rest = makeRequestContext({
      request: '/dev/pets/7?q=1',
      api: makeApi({ protocolType: 'REST' }),
    })
    expect(executeApiArn(rest)).toBe(
      'arn:aws:execute-api:us-east-1:000000000000:abc123defg/dev/GET/pets/7'
    )
    const ws = makeRequestContext({
      api: makeApi({ protocolType: 'WEBSOCKET' }),
      route: makeRoute({ routeKey: '$connect' }),
    })
    expect(executeApiArn(ws)).toBe(
      'arn:aws:execute-api:us-east-1:000000000000:abc123defg/dev/$connect'
    )
  })
})
