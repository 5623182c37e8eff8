/**
 * `x-amazon-apigateway-cors` → `corsConfiguration` and `x-amazon-apigateway-policy` (IAM JSON)
 * → `resourcePolicy`: IP conditions are enforced exactly; any other shape that could deny a
 * call is refused by path, never dropped.
 */
import { describe, expect, it } from 'vitest'
import { exportOpenApi } from '../../src/openapi/export'
import { importIamPolicy } from '../../src/openapi/iam-policy'
import { importOpenApi } from '../../src/openapi/import'
import { mustImport, options } from './helpers'

const doc = (extra: Record<string, unknown>) =>
  JSON.stringify({ openapi: '3.0.1', info: { title: 't' }, paths: {}, ...extra })

const statement = (over: Record<string, unknown>) => ({
  Effect: 'Allow',
  Principal: '*',
  Action: 'execute-api:Invoke',
  Resource: 'execute-api:/*',
  ...over,
})
const policy = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement })
const ips = (operator: string, list: string | string[]) => ({
  [operator]: { 'aws:SourceIp': list },
})

describe('CORS import', () => {
  it('reads every field, and export writes it back', () => {
    const cors = {
      allowOrigins: ['https://app.example.com'],
      allowMethods: ['GET'],
      allowHeaders: ['authorization'],
      exposeHeaders: ['x-id'],
      maxAge: 300,
      allowCredentials: true,
    }
    const { api, extras, warnings } = mustImport(doc({ 'x-amazon-apigateway-cors': cors }))
    expect(api.corsConfiguration).toEqual(cors)
    expect(warnings).toEqual([])
    expect(exportOpenApi(api, { extensions: true, extras })['x-amazon-apigateway-cors']).toEqual(
      cors
    )
  })

  it('refuses malformed fields and unknown keys by path', () => {
    const result = importOpenApi(
      doc({ 'x-amazon-apigateway-cors': { allowOrigins: 'x', maxAge: 1.5, origin: ['a'] } }),
      options()
    )
    expect(result.ok ? [] : result.error.map((e) => e.path)).toEqual([
      '/x-amazon-apigateway-cors/allowOrigins',
      '/x-amazon-apigateway-cors/maxAge',
      '/x-amazon-apigateway-cors/origin',
    ])
  })
})

describe('resource policy import', () => {
  it.each([
    [
      'Allow with IpAddress → allow list',
      policy(statement({ Condition: ips('IpAddress', ['10.0.0.0/8', '2001:db8::/32']) })),
      { sourceIpAllow: ['10.0.0.0/8', '2001:db8::/32'] },
    ],
    [
      'Allow all + Deny with IpAddress → deny list',
      policy(
        statement({}),
        statement({ Effect: 'Deny', Condition: ips('IpAddress', '192.0.2.1') })
      ),
      { sourceIpDeny: ['192.0.2.1'] },
    ],
    [
      'Allow all + Deny with NotIpAddress → allow list',
      policy(
        statement({}),
        statement({ Effect: 'Deny', Condition: ips('NotIpAddress', ['198.51.100.0/24']) })
      ),
      { sourceIpAllow: ['198.51.100.0/24'] },
    ],
    [
      'a single Allow with NotIpAddress → deny list',
      policy(statement({ Condition: ips('NotIpAddress', ['203.0.113.9']) })),
      { sourceIpDeny: ['203.0.113.9'] },
    ],
    [
      'no Allow at all → every call denied (AWS implicit deny)',
      policy(statement({ Effect: 'Deny', Condition: ips('IpAddress', '192.0.2.1') })),
      { sourceIpDeny: ['192.0.2.1', '0.0.0.0/0', '::/0'] },
    ],
  ])('%s', (_name, raw, expected) => {
    const result = importIamPolicy(raw, '/p')
    expect(result.ok ? result.value.policy : result.error).toEqual(expected)
  })

  it('warns that an Allow for everyone needs no enforcement, and stores nothing', () => {
    const { api, warnings } = mustImport(
      doc({ 'x-amazon-apigateway-policy': policy(statement({})) })
    )
    expect(api.resourcePolicy).toBeUndefined()
    expect(warnings).toEqual([
      '/x-amazon-apigateway-policy: Allow for every principal needs no enforcement (the API is public)',
    ])
  })

  it.each([
    [
      'a Deny for one IAM principal',
      policy(
        statement({}),
        statement({ Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::123456789012:root' } })
      ),
      '/x-amazon-apigateway-policy/Statement/1/Principal',
    ],
    [
      'a Deny on a VPC endpoint',
      policy(
        statement({}),
        statement({
          Effect: 'Deny',
          Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } },
        })
      ),
      '/x-amazon-apigateway-policy/Statement/1/Condition/StringNotEquals',
    ],
    [
      'a Deny on one method only',
      policy(statement({}), statement({ Effect: 'Deny', Resource: 'execute-api:/*/DELETE/*' })),
      '/x-amazon-apigateway-policy/Statement/1/Resource',
    ],
    [
      'an IP condition mixed with another key',
      policy(
        statement({
          Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.1', 'aws:SourceVpc': 'vpc-1' } },
        })
      ),
      '/x-amazon-apigateway-policy/Statement/0/Condition/IpAddress',
    ],
    [
      'NotPrincipal',
      policy(statement({ Effect: 'Deny', NotPrincipal: { AWS: 'x' } })),
      '/x-amazon-apigateway-policy/Statement/0',
    ],
    [
      'Allows mixing IpAddress and NotIpAddress',
      policy(
        statement({ Condition: ips('IpAddress', '10.0.0.1') }),
        statement({ Condition: ips('NotIpAddress', '10.0.0.2') })
      ),
      '/x-amazon-apigateway-policy',
    ],
    ['policy text that is not JSON', '{"Statement": [', '/x-amazon-apigateway-policy'],
  ])('refuses %s by path instead of dropping it', (_name, raw, path) => {
    const result = importOpenApi(doc({ 'x-amazon-apigateway-policy': raw }), options())
    expect(result.ok ? [] : result.error.map((e) => e.path)).toContain(path)
  })

  it('accepts the policy as JSON text, as AWS ImportRestApi does', () => {
    const raw = JSON.stringify(policy(statement({ Condition: ips('IpAddress', '10.0.0.1') })))
    const { api } = mustImport(doc({ 'x-amazon-apigateway-policy': raw }))
    expect(api.resourcePolicy).toEqual({ sourceIpAllow: ['10.0.0.1'] })
  })

  it.each([
    [{ sourceIpAllow: ['10.0.0.0/8'], sourceIpDeny: ['10.0.0.1'] }],
    [{ sourceIpDeny: ['192.0.2.0/24'] }],
    [{ sourceIpDeny: ['0.0.0.0/0', '::/0'] }],
  ])('exports %j as a policy that imports back to the same lists', (resourcePolicy) => {
    const { api } = mustImport(doc({}))
    const exported = exportOpenApi({ ...api, resourcePolicy }, { extensions: true })
    const again = mustImport(JSON.stringify(exported))
    expect(again.api.resourcePolicy).toEqual(resourcePolicy)
  })
})
