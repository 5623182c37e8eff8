import { describe, expect, it } from 'vitest'
import type { ApiConfig, CorsConfig, DeploymentConfig } from '../../../src/config/types'
import {
  validateApiConfig,
  validateDeploymentConfig,
  validateDeploymentForEdge,
} from '../../../src/config/validate'
import { corsConfigIssues } from '../../../src/config/validate-cors'
import { issuesOf, validApi } from '../../config/fixtures'

function withCors(cors: CorsConfig): ApiConfig {
  return { ...validApi(), corsConfiguration: cors }
}

function messagesAt(cors: CorsConfig): Record<string, string> {
  return Object.fromEntries(corsConfigIssues(cors, 'HTTP').map((i) => [i.path, i.message]))
}

describe('corsConfigIssues: origins', () => {
  it('accepts exact origins, *, and the scheme wildcards AWS documents', () => {
    expect(
      corsConfigIssues(
        {
          allowOrigins: [
            'https://example.com',
            'http://localhost:3000',
            'https://EXAMPLE.org:8443',
          ],
        },
        'HTTP'
      )
    ).toEqual([])
    expect(corsConfigIssues({ allowOrigins: ['*'] }, 'HTTP')).toEqual([])
    expect(corsConfigIssues({ allowOrigins: ['https://*', 'http://*'] }, 'REST')).toEqual([])
  })

  it.each([
    ['null', /never allowed/],
    ['https://example.com/', /without path/],
    ['https://example.com/app', /without path/],
    ['https://example.com?x=1', /without path/],
    ['https://user@example.com', /without path/],
    ['example.com', /scheme:\/\/host/],
    ['ftp://example.com', /http:\/\/ or https:\/\//],
    ['https://*.example.com', /wildcards are only allowed/],
    ['*.example.com', /wildcards are only allowed/],
    ['https://example.*', /wildcards are only allowed/],
  ])('refuses the origin %j', (origin, message) => {
    expect(messagesAt({ allowOrigins: ['https://ok.example', origin] })).toEqual({
      '/corsConfiguration/allowOrigins/1': expect.stringMatching(message),
    })
  })
})

describe('corsConfigIssues: credentials', () => {
  it.each(['*', 'https://*', 'http://*'])('refuses %j origins with allowCredentials', (o) => {
    expect(messagesAt({ allowOrigins: [o], allowCredentials: true })).toEqual({
      '/corsConfiguration/allowOrigins/0': expect.stringMatching(/allowCredentials/),
    })
  })

  it('refuses * in methods, allowed and exposed headers with allowCredentials', () => {
    expect(
      Object.keys(
        messagesAt({
          allowOrigins: ['https://example.com'],
          allowCredentials: true,
          allowMethods: ['GET', '*'],
          allowHeaders: ['*'],
          exposeHeaders: ['x-a', '*'],
        })
      )
    ).toEqual([
      '/corsConfiguration/allowMethods/1',
      '/corsConfiguration/allowHeaders/0',
      '/corsConfiguration/exposeHeaders/1',
    ])
  })

  it('accepts * in methods and headers without credentials', () => {
    expect(
      corsConfigIssues(
        { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'], exposeHeaders: ['*'] },
        'HTTP'
      )
    ).toEqual([])
  })
})

describe('corsConfigIssues: methods, max age, protocol', () => {
  it('refuses methods a browser cannot ask for through CORS', () => {
    expect(messagesAt({ allowMethods: ['GET', 'TRACE', 'CONNECT'] })).toEqual({
      '/corsConfiguration/allowMethods/1': expect.stringMatching(/must be one of/),
      '/corsConfiguration/allowMethods/2': expect.stringMatching(/must be one of/),
    })
  })

  it('refuses a max age outside 0–86400', () => {
    expect(messagesAt({ maxAge: 86401 })).toEqual({
      '/corsConfiguration/maxAge': 'must be 0–86400 seconds',
    })
    expect(messagesAt({ maxAge: 0 })).toEqual({})
  })

  it('refuses CORS on a WEBSOCKET API', () => {
    expect(corsConfigIssues({ allowOrigins: ['https://a.example'] }, 'WEBSOCKET')).toHaveLength(1)
  })
})

describe('write and load paths', () => {
  it('refuses an API document with * and credentials (a 400 at the admin API)', () => {
    const issues = issuesOf(
      validateApiConfig(withCors({ allowOrigins: ['*'], allowCredentials: true }))
    )
    expect(issues).toEqual([
      {
        path: '/corsConfiguration/allowOrigins/0',
        message: expect.stringMatching(/allowCredentials/),
      },
    ])
  })

  it('refuses a deployment written with a bad CORS configuration, pointing inside /api', () => {
    const api = withCors({ allowOrigins: ['null'] })
    const deployment: DeploymentConfig = {
      schemaVersion: 1,
      id: 'dep0000001',
      apiId: api.id,
      createdDate: api.createdDate,
      api,
    }
    expect(issuesOf(validateDeploymentConfig(deployment)).map((i) => i.path)).toEqual([
      '/api/corsConfiguration/allowOrigins/0',
    ])
    // The edge still loads it: only CORS is turned off (see the data-plane tests).
    expect(validateDeploymentForEdge(deployment).ok).toBe(true)
  })
})
