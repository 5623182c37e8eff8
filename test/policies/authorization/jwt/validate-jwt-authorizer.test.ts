import { describe, expect, it } from 'vitest'
import type { AuthorizerConfig, JwtConfiguration } from '../../../../src/config/types'
import { checkJwtAuthorizer } from '../../../../src/config/validate-jwt-authorizer'
import { makeApi } from '../../../support/request-context'

function authorizer(
  config: Partial<JwtConfiguration> = {},
  extra: Partial<AuthorizerConfig> = {}
): AuthorizerConfig {
  return {
    id: 'a1',
    name: 'jwt',
    authorizerType: 'JWT',
    jwtConfiguration: {
      issuer: 'https://idp.example.com/',
      audience: ['api'],
      jwksUri: 'https://idp.example.com/.well-known/jwks.json',
      ...config,
    },
    ...extra,
  }
}

/** The same authorizer without a jwksUri: keys come from OIDC discovery. */
function discovering(issuer?: string): AuthorizerConfig {
  const a = authorizer(issuer === undefined ? {} : { issuer })
  const config = {
    ...a.jwtConfiguration,
    issuer: issuer ?? 'https://idp.example.com/',
    audience: ['api'],
  }
  Reflect.deleteProperty(config, 'jwksUri')
  return { ...a, jwtConfiguration: config }
}

const api = makeApi()
const loopbackApi = makeApi({ allowLoopbackUpstreams: true })

function issues(a: AuthorizerConfig, on = api) {
  return checkJwtAuthorizer(a, '/authorizers/0', on)
}

describe('write-time checks of a JWT authorizer', () => {
  it('accepts a complete authorizer, with or without a jwksUri (OIDC discovery)', () => {
    expect(issues(authorizer())).toEqual([])
    expect(issues(discovering())).toEqual([])
    expect(
      issues(authorizer({ algorithms: ['RS256', 'ES256', 'EdDSA'], clockLeewaySeconds: 60 }))
    ).toEqual([])
    expect(issues(authorizer({}, { identitySource: ['$request.querystring.token'] }))).toEqual([])
  })

  it('ignores authorizers of other types', () => {
    expect(issues({ id: 'r', name: 'r', authorizerType: 'REQUEST' })).toEqual([])
  })

  it('requires a jwtConfiguration', () => {
    expect(issues({ id: 'a1', name: 'jwt', authorizerType: 'JWT' })).toEqual([
      { path: '/authorizers/0/jwtConfiguration', message: 'is required for JWT authorizers' },
    ])
  })

  it('refuses an issuer that is not an http(s) URL', () => {
    for (const issuer of ['idp.example.com', 'urn:example:idp', 'ftp://idp.example.com']) {
      expect(issues(authorizer({ issuer })).map((i) => i.path)).toEqual([
        '/authorizers/0/jwtConfiguration/issuer',
      ])
    }
  })

  it('refuses an empty or blank audience', () => {
    for (const audience of [[], [' ']]) {
      expect(issues(authorizer({ audience })).map((i) => i.path)).toEqual([
        '/authorizers/0/jwtConfiguration/audience',
      ])
    }
  })

  it('refuses empty, repeated, symmetric or unknown algorithms', () => {
    for (const algorithms of [[], ['RS256', 'RS256'], ['HS256'], ['none'], ['RS256', 'RS1']]) {
      expect(issues(authorizer({ algorithms })).map((i) => i.path)).toEqual([
        '/authorizers/0/jwtConfiguration/algorithms',
      ])
    }
  })

  it('refuses a leeway outside 0–60 s', () => {
    for (const clockLeewaySeconds of [-1, 61, 1.5]) {
      expect(issues(authorizer({ clockLeewaySeconds })).map((i) => i.path)).toEqual([
        '/authorizers/0/jwtConfiguration/clockLeewaySeconds',
      ])
    }
  })

  it('wants exactly one header or query string identity source', () => {
    for (const identitySource of [
      [],
      ['$request.header.Authorization', '$request.header.X-Token'],
      ['$context.requestId'],
      ['$stageVariables.token'],
      ['Authorization'],
    ]) {
      expect(issues(authorizer({}, { identitySource })).map((i) => i.path)).toEqual([
        '/authorizers/0/identitySource',
      ])
    }
  })

  it('puts the JWKS URI through the SSRF guard', () => {
    for (const jwksUri of [
      'http://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/jwks',
      'https://[::1]/jwks',
      'https://127.0.0.1/jwks',
      'https://user:pass@idp.example.com/jwks',
      'https://metadata.google.internal/jwks',
      'http://idp.example.com/jwks',
    ]) {
      expect([jwksUri, issues(authorizer({ jwksUri })).map((i) => i.path)]).toEqual([
        jwksUri,
        ['/authorizers/0/jwtConfiguration/jwksUri'],
      ])
    }
  })

  it('admits loopback, over http too, only with allowLoopbackUpstreams', () => {
    const local = authorizer({ jwksUri: 'http://127.0.0.1:9999/jwks' })
    expect(issues(local, loopbackApi)).toEqual([])
    expect(issues(local).map((i) => i.path)).toEqual(['/authorizers/0/jwtConfiguration/jwksUri'])
    expect(
      issues(authorizer({ jwksUri: 'http://10.0.0.1/jwks' }), loopbackApi).map((i) => i.path)
    ).toEqual(['/authorizers/0/jwtConfiguration/jwksUri'])
  })

  it('checks the discovery URL derived from the issuer when there is no jwksUri', () => {
    const internal = discovering('https://10.1.1.1/tenant')
    expect(issues(internal).map((i) => i.path)).toEqual(['/authorizers/0/jwtConfiguration/issuer'])
  })

  it('leaves a JWKS URI with stage variables to the per-stage check, but vets its placeholders', () => {
    expect(issues(authorizer({ jwksUri: 'https://${stageVariables.idp}/jwks' }))).toEqual([])
    for (const jwksUri of ['https://${request.header.host}/jwks', '${stageVariables.url}']) {
      expect(issues(authorizer({ jwksUri })).map((i) => i.path)).toEqual([
        '/authorizers/0/jwtConfiguration/jwksUri',
      ])
    }
  })
})
