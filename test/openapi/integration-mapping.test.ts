/** x-amazon-apigateway-integration → IntegrationConfig: types, mappings, refusals. */
import { describe, expect, it } from 'vitest'
import { importOpenApi } from '../../src/openapi/import'
import { upperSnake } from '../../src/integrations/binding-name'
import { lambdaTarget } from '../../src/openapi/lambda-arn'
import { options } from './helpers'

function one(integration: unknown, path = '/pets/{id}', protocolType: 'REST' | 'HTTP' = 'REST') {
  const text = JSON.stringify({
    openapi: '3.0.1',
    info: { title: 't' },
    paths: { [path]: { get: { 'x-amazon-apigateway-integration': integration } } },
  })
  return importOpenApi(text, options({ protocolType }))
}
const at = '/paths/~1pets~1{id}/get/x-amazon-apigateway-integration'

function errors(integration: unknown, path?: string, protocolType?: 'REST' | 'HTTP') {
  const result = one(integration, path, protocolType)
  return result.ok ? [] : result.error
}

describe('refused integrations', () => {
  it.each([
    [
      { type: 'aws', uri: 'arn:aws:apigateway:us-east-1:sqs:path/q' },
      '/type',
      /^AWS service integrations are not supported/,
    ],
    [
      { type: 'aws_proxy', integrationSubtype: 'SQS-SendMessage' },
      '/type',
      /^AWS service integrations are not supported/,
    ],
    [
      { type: 'aws_proxy', uri: 'arn:aws:apigateway:us-east-1:s3:path/b' },
      '/uri',
      /must invoke a Lambda function/,
    ],
    [
      { type: 'http_proxy', uri: 'https://up', connectionType: 'VPC_LINK', connectionId: 'abc' },
      '/connectionType',
      /VPC link/,
    ],
    [{ type: 'http_proxy', uri: 'ftp://up/x' }, '/uri', /absolute http\(s\) URL/],
    [{ type: 'http_proxy', uri: 'https://user:pw@up/x' }, '/uri', /absolute http\(s\) URL/],
    [
      { type: 'http_proxy', uri: 'https://up/{other}' },
      '/uri',
      /placeholder \{other\} is not a path parameter/,
    ],
    [
      { type: 'http_proxy', uri: 'https://up', timeoutInMillis: 30000 },
      '/timeoutInMillis',
      /50 to 29000/,
    ],
    [
      { type: 'http_proxy', uri: 'https://up', payloadFormatVersion: '3.0' },
      '/payloadFormatVersion',
      /1.0 or 2.0/,
    ],
    [
      { type: 'http_proxy', uri: 'https://up', httpMethod: 'BREW' },
      '/httpMethod',
      /Invalid httpMethod/,
    ],
    [{ type: 'websocket', uri: 'https://up' }, '/type', /must be one of/],
    [{ uri: 'https://up' }, '/type', /must be one of/],
  ])('refuses %j', (integration, suffix, message) => {
    const [first] = errors(integration)
    expect(first?.path).toBe(at + suffix)
    expect(first?.message).toMatch(message)
  })

  it.each([
    ['integration.request.header.x', 'method.request.multivalueheader.y'],
    ['integration.request.multivaluequerystring.x', 'method.request.querystring.y'],
    ['integration.request.path.id', 'method.request.header.h'],
    ['integration.request.header.x', "'has $dollar'"],
    ['integration.request.header.x', 'integration.response.body'],
    ['MessageBody', '$request.body'],
  ])('refuses the untranslatable request mapping %s ← %s, naming the entry', (key, value) => {
    const [first] = errors({
      type: 'http',
      uri: 'https://up/{id}',
      requestParameters: { [key]: value },
    })
    expect(first?.path).toBe(`${at}/requestParameters/${key}`)
  })

  it('refuses a mock header mapped from something other than a literal', () => {
    const [first] = errors({
      type: 'mock',
      responses: {
        default: {
          statusCode: '200',
          responseParameters: { 'method.response.header.X': 'integration.response.header.Y' },
        },
      },
    })
    expect(first?.path).toBe(`${at}/responses/default/responseParameters/method.response.header.X`)
  })
})

describe('accepted integrations', () => {
  it('keeps HTTP API mapping grammar and response mappings as they are', () => {
    const result = one(
      {
        type: 'http_proxy',
        uri: 'https://up/{id}',
        requestParameters: {
          'append:header.x': '$request.header.y',
          'overwrite:path': '/v2/${request.path.id}',
        },
        responseParameters: { '500': { 'overwrite:statuscode': '503' } },
      },
      '/pets/{id}',
      'HTTP'
    )
    expect(result.ok && result.value.api.integrations[0]).toMatchObject({
      requestParameters: {
        'append:header.x': '$request.header.y',
        'overwrite:path': '/v2/${request.path.id}',
      },
      responseParameters: { '500': { 'overwrite:statuscode': '503' } },
    })
  })

  it('selects the mock response whose selection pattern matches the request template status', () => {
    const result = one({
      type: 'mock',
      requestTemplates: { 'application/json': '{"statusCode": 404}' },
      responses: {
        '2\\d{2}': { statusCode: '200' },
        '4\\d{2}': {
          statusCode: '404',
          responseTemplates: { 'application/json': '{"missing":true}' },
        },
        default: { statusCode: '500' },
      },
    })
    expect(result.ok && result.value.api.integrations[0]?.mockResponse).toEqual({
      statusCode: 404,
      body: '{"missing":true}',
    })
    expect(
      result.ok &&
        result.value.warnings.some((w) =>
          w.endsWith('Only the integration response the mock selects is served')
        )
    ).toBe(true)
  })

  it('answers 200 from a mock without request template', () => {
    const result = one({ type: 'mock' })
    expect(result.ok && result.value.api.integrations[0]?.mockResponse).toEqual({ statusCode: 200 })
  })

  it('maps a Lambda proxy integration to a WORKER binding and explains the binding', () => {
    const uri =
      'arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:us-west-2:123456789012:function:Calc/invocations'
    const result = one({ type: 'aws_proxy', httpMethod: 'POST', uri })
    expect(result.ok && result.value.api.integrations[0]?.integrationUri).toBe('worker://CALC')
    expect(result.ok && result.value.warnings).toContain(
      `${at}/uri: The Lambda function is invoked as the Worker service binding CALC: declare it in wrangler.toml ([[services]] binding = "CALC")`
    )
  })
})

describe('Lambda ARN naming rule', () => {
  it.each([
    ['Calc', 'CALC'],
    ['my-function', 'MY_FUNCTION'],
    ['ServerlessExpressFn', 'SERVERLESS_EXPRESS_FN'],
    ['APIGateway-Request-Authorizer', 'API_GATEWAY_REQUEST_AUTHORIZER'],
    ['fn_v2Beta', 'FN_V2BETA'],
    ['9lives', 'LAMBDA_9LIVES'],
  ])('%s → %s, and the rule is idempotent', (name, binding) => {
    expect(upperSnake(name)).toBe(binding)
    expect(upperSnake(binding)).toBe(binding)
  })

  it('reads function ARNs, invoke ARNs, qualifiers and stage variables', () => {
    expect(lambdaTarget('arn:aws:lambda:us-east-1:1:function:a-b:prod')?.binding).toBe('A_B_PROD')
    expect(
      lambdaTarget('arn:aws:lambda:us-east-1:1:function:${stageVariables.fn}')?.integrationUri
    ).toBe('worker://${stageVariables.fn}')
    expect(
      lambdaTarget('arn:aws:lambda:us-east-1:1:function:a:${stageVariables.alias}')
    ).toBeUndefined()
    expect(lambdaTarget('arn:aws:apigateway:us-east-1:dynamodb:action/GetItem')).toBeUndefined()
    expect(lambdaTarget('https://example.com')).toBeUndefined()
  })
})
