import { describe, expect, it } from 'vitest'
import { validateDomainNameConfig } from '../../src/config/validate'
import { apiMappingKeyProblem, domainNameProblem } from '../../src/config/validate-domain'
import { issuesOf, validDomain } from './fixtures'

describe('validateDomainNameConfig', () => {
  it('accepts exact and wildcard names', () => {
    expect(validateDomainNameConfig(validDomain()).ok).toBe(true)
    expect(validateDomainNameConfig({ ...validDomain(), domainName: '*.example.com' }).ok).toBe(
      true
    )
  })

  it.each([
    ['Api.Example.com', /^must match/],
    ['localhost', /at least two labels/],
    ['*.com', /at least two labels/],
    ['api.*.example.com', /wildcard is only allowed as the whole first label/],
    ['*api.example.com', /wildcard is only allowed/],
    ['api..example.com', /empty labels/],
    ['.example.com', /empty labels/],
    ['example.com.', /empty labels/],
    ['-api.example.com', /inner hyphens/],
    ['api_x.example.com', /inner hyphens/],
    ['127.0.0.1', /numeric label/],
    [`${'a'.repeat(64)}.example.com`, /longer than 63/],
    [`${'abcdefghi.'.repeat(25)}example.com`, /at most 253 characters/],
    ['', /must not be empty/],
  ])('refuses domain name %j', (domainName, message) => {
    const issues = issuesOf(validateDomainNameConfig({ ...validDomain(), domainName }))
    expect(issues).toHaveLength(1)
    expect(issues[0]?.path).toBe('/domainName')
    expect(issues[0]?.message).toMatch(message)
  })

  it('refuses two mappings with the same base path, or the same id', () => {
    const doc = validDomain()
    doc.mappings.push({
      apiMappingId: 'm1',
      apiId: 'abc123defg',
      stage: 'x',
      apiMappingKey: 'v1/orders',
    })
    expect(issuesOf(validateDomainNameConfig(doc))).toEqual([
      {
        path: '/mappings/2/apiMappingId',
        message: 'duplicate apiMappingId "m1" (also at /mappings/0/apiMappingId)',
      },
      {
        path: '/mappings/2/apiMappingKey',
        message: 'duplicate apiMappingKey "v1/orders" (also at /mappings/1/apiMappingKey)',
      },
    ])
  })

  it.each([
    ['/v1', /start or end with \//],
    ['v1/', /start or end with \//],
    ['v1//x', /empty segments/],
    ['v1/../admin', /\. or \.\. segments/],
    ['.', /\. or \.\. segments/],
  ])('refuses apiMappingKey %j', (apiMappingKey, message) => {
    const doc = validDomain()
    doc.mappings[1] = { apiMappingId: 'm2', apiId: 'abc123defg', stage: 'dev', apiMappingKey }
    const issues = issuesOf(validateDomainNameConfig(doc))
    expect(issues).toEqual([
      { path: '/mappings/1/apiMappingKey', message: expect.stringMatching(message) },
    ])
  })

  it.each([['v1%2F'], ['v 1'], ['v1?x']])('refuses apiMappingKey characters in %j', (key) => {
    const doc = validDomain()
    doc.mappings[1] = { apiMappingId: 'm2', apiId: 'abc123defg', stage: 'dev', apiMappingKey: key }
    expect(issuesOf(validateDomainNameConfig(doc))[0]?.message).toMatch(/^must match/)
  })

  it('caps mappings at 50', () => {
    const mappings = Array.from({ length: 51 }, (_, i) => ({
      apiMappingId: `m${String(i)}`,
      apiId: 'abc123defg',
      stage: 'prod',
      apiMappingKey: `k${String(i)}`,
    }))
    expect(issuesOf(validateDomainNameConfig({ ...validDomain(), mappings }))).toEqual([
      { path: '/mappings', message: 'must have at most 50 items' },
    ])
  })

  it('refuses a mapping to the @connections pseudo-stage and a bad api id', () => {
    const doc = validDomain()
    doc.mappings[0] = { apiMappingId: 'm1', apiId: 'ABC', stage: '@connections', apiMappingKey: '' }
    const paths = issuesOf(validateDomainNameConfig(doc)).map((i) => i.path)
    expect(paths).toEqual(['/mappings/0/apiId', '/mappings/0/stage'])
  })
})

describe('domain helpers', () => {
  it('accepts ordinary names and keys', () => {
    expect(domainNameProblem('a.b')).toBeUndefined()
    expect(domainNameProblem('xn--bcher-kva.example')).toBeUndefined()
    expect(apiMappingKeyProblem('')).toBeUndefined()
    expect(apiMappingKeyProblem('v1/orders')).toBeUndefined()
  })
})
