import { describe, expect, it } from 'vitest'
import type { ApiConfig, AuthorizerConfig } from '../../../../src/config/types'
import { validateApiConfig, validateDeploymentForEdge } from '../../../../src/config/validate'
import { issuesOf, validApi, validDeployment } from '../../../config/fixtures'

function withAuthorizers(authorizers: AuthorizerConfig[], extra: Partial<ApiConfig> = {}) {
  const api = { ...validApi(), authorizers, ...extra }
  api.routes = api.routes.map((r) =>
    r.id === 'r1get' ? { ...r, authorizationType: 'CUSTOM' as const, authorizerId: 'a1' } : r
  )
  return api
}

const TOKEN: AuthorizerConfig = {
  id: 'a1',
  name: 'token-auth',
  authorizerType: 'TOKEN',
  authorizerUri: 'worker://DEMO_BACKEND',
  identitySource: ['$request.header.Authorization'],
}
const REQUEST: AuthorizerConfig = {
  id: 'a1',
  name: 'request-auth',
  authorizerType: 'REQUEST',
  authorizerUri: 'https://auth.example.com/authorize',
  identitySource: ['$request.header.x-token', '$request.querystring.tenant'],
  authorizerPayloadFormatVersion: '2.0',
  enableSimpleResponses: true,
}

describe('validateApiConfig: authorizers', () => {
  it('accepts a TOKEN authorizer on a binding and a REQUEST authorizer on https', () => {
    expect(validateApiConfig(withAuthorizers([TOKEN])).ok).toBe(true)
    expect(validateApiConfig(withAuthorizers([REQUEST])).ok).toBe(true)
  })

  it('refuses duplicate authorizer ids and names', () => {
    const api = withAuthorizers([TOKEN, { ...REQUEST, name: TOKEN.name }])
    expect(issuesOf(validateApiConfig(api))).toEqual([
      {
        path: '/authorizers/1/id',
        message: 'duplicate authorizer id "a1" (also at /authorizers/0/id)',
      },
      {
        path: '/authorizers/1/name',
        message: 'duplicate authorizer name "token-auth" (also at /authorizers/0/name)',
      },
    ])
  })

  it('refuses a route naming an unknown authorizer, or one of the wrong type', () => {
    const unknown = withAuthorizers([{ ...TOKEN, id: 'other' }])
    expect(issuesOf(validateApiConfig(unknown))).toEqual([
      { path: '/routes/0/authorizerId', message: 'refers to unknown authorizer "a1"' },
    ])
    const jwtRoute = withAuthorizers([TOKEN])
    jwtRoute.routes[0] = {
      ...jwtRoute.routes[0],
      id: 'r1get',
      routeKey: 'GET /pets/{petId}',
      authorizationType: 'JWT',
      authorizerId: 'a1',
    }
    expect(issuesOf(validateApiConfig(jwtRoute))).toEqual([
      {
        path: '/routes/0/authorizerId',
        message: 'authorizationType JWT cannot use TOKEN authorizer "a1"',
      },
    ])
  })

  it.each([
    [{ identitySource: ['$request.header.A', '$request.header.B'] }, 'identitySource'],
    [{ identitySource: ['$request.querystring.token'] }, 'identitySource'],
    [{ identitySource: [] }, 'identitySource'],
    [{ authorizerUri: 'worker://lower' }, 'authorizerUri'],
    [{ authorizerUri: 'http://auth.example.com/x' }, 'authorizerUri'],
    [{ authorizerUri: 'https://10.0.0.1/x' }, 'authorizerUri'],
    [{ authorizerUri: 'https://169.254.169.254/latest' }, 'authorizerUri'],
    [{ authorizerUri: 'https://user:pw@auth.example.com/' }, 'authorizerUri'],
    [{ authorizerUri: 'http://127.0.0.1:9/x' }, 'authorizerUri'],
    [{ identityValidationExpression: '^(a+)+$' }, 'identityValidationExpression'],
    [{ identityValidationExpression: '(x|xy)*z' }, 'identityValidationExpression'],
    [{ identityValidationExpression: '([unclosed' }, 'identityValidationExpression'],
    [{ authorizerPayloadFormatVersion: '2.0' as const }, 'authorizerPayloadFormatVersion'],
    [{ enableSimpleResponses: true }, 'enableSimpleResponses'],
  ])('refuses a TOKEN authorizer with %j', (change: Partial<AuthorizerConfig>, field) => {
    const authorizer: AuthorizerConfig = { ...TOKEN, ...change }
    const issues = issuesOf(validateApiConfig(withAuthorizers([authorizer])))
    expect(issues.map((i) => i.path)).toContain(`/authorizers/0/${field}`)
  })

  it('refuses a TOKEN authorizer without authorizerUri', () => {
    const authorizer: AuthorizerConfig = { ...TOKEN }
    delete authorizer.authorizerUri
    expect(issuesOf(validateApiConfig(withAuthorizers([authorizer])))).toEqual([
      { path: '/authorizers/0/authorizerUri', message: 'is required for TOKEN authorizers' },
    ])
  })

  it('runs the JWT authorizer checks on JWT authorizers', () => {
    const jwt: AuthorizerConfig = { id: 'j1', name: 'jwt', authorizerType: 'JWT' }
    expect(issuesOf(validateApiConfig(withAuthorizers([TOKEN, jwt])))).toEqual([
      { path: '/authorizers/1/jwtConfiguration', message: 'is required for JWT authorizers' },
    ])
  })

  it('accepts http:// to loopback only with allowLoopbackUpstreams', () => {
    const api = withAuthorizers([{ ...TOKEN, authorizerUri: 'http://127.0.0.1:9/x' }], {
      allowLoopbackUpstreams: true,
    })
    expect(validateApiConfig(api).ok).toBe(true)
  })

  it('accepts a safe identityValidationExpression (AWS example)', () => {
    const api = withAuthorizers([
      { ...TOKEN, identityValidationExpression: '^Bearer [-0-9a-zA-Z._]*$' },
    ])
    expect(validateApiConfig(api).ok).toBe(true)
  })

  it('needs an identity source on a REQUEST authorizer unless its TTL is 0 (AWS)', () => {
    const none = { ...REQUEST, identitySource: [] }
    expect(issuesOf(validateApiConfig(withAuthorizers([none])))).toEqual([
      {
        path: '/authorizers/0/identitySource',
        message: 'a REQUEST authorizer needs at least one identity source unless its TTL is 0',
      },
    ])
    const uncached = { ...none, authorizerResultTtlInSeconds: 0 }
    expect(validateApiConfig(withAuthorizers([uncached])).ok).toBe(true)
  })

  it('refuses payload 2.0 on a REST API', () => {
    const api = withAuthorizers([REQUEST], { protocolType: 'REST' })
    delete api.routeSelectionExpression
    const paths = issuesOf(validateApiConfig(api)).map((i) => i.path)
    expect(paths).toContain('/authorizers/0/authorizerPayloadFormatVersion')
  })

  it('lets the edge load a deployment whose route names an unknown authorizer (that route fails closed)', () => {
    const deployment = validDeployment()
    deployment.api = withAuthorizers([])
    expect(validateDeploymentForEdge(deployment).ok).toBe(true)
  })
})
