/**
 * Every file of ../shared/external/openapi-aws either imports with the expected route table,
 * integrations and warnings, or is refused with errors that point at the offending node.
 */
import { describe, expect, it } from 'vitest'
import { importOpenApi } from '../../src/openapi/import'
import { CORPUS } from './corpus'
import { mustImport, options, routeTable, warningPaths } from './helpers'

const AWS_SERVICE = /^AWS service integrations are not supported/
const INTRINSIC =
  /^CloudFormation intrinsic function (Fn::Sub|Fn::GetAtt|Ref) must be resolved before import/

function refusal(file: keyof typeof CORPUS, protocolType: 'REST' | 'HTTP' = 'REST') {
  const result = importOpenApi(CORPUS[file], options({ protocolType }))
  if (result.ok) throw new Error(`${file} was imported`)
  return result.error
}

describe('corpus: documents that import', () => {
  it('imports the REST request-validator sample (Swagger 2, http integrations, api_key)', () => {
    const { api, warnings } = mustImport(CORPUS['awsdocs-rest-request-validators.json'])
    expect(api.name).toBe('ReqValidators Sample')
    expect(api.version).toBe('1.0.0')
    expect(routeTable(api)).toEqual({
      'POST /validation': 'HTTP http://petstore-demo-endpoint.execute-api.com/petstore/pets',
      'GET /validation': 'HTTP http://petstore-demo-endpoint.execute-api.com/petstore/pets',
    })
    const [post, get] = api.routes
    expect(post?.apiKeyRequired).toBe(true)
    expect(post?.requestParameters).toEqual({ 'method.request.header.h1': true })
    expect(get?.requestParameters).toEqual({ 'method.request.querystring.q1': true })
    const [postI, getI] = api.integrations
    expect(postI?.integrationMethod).toBe('POST')
    expect(postI?.requestParameters).toEqual({ 'overwrite:header.custom_h1': '$request.header.h1' })
    expect(getI?.requestParameters).toEqual({
      'overwrite:querystring.type': '$request.querystring.q1',
    })
    expect(Object.keys(postI?.passthrough ?? {})).toEqual(['responses'])
    // Swagger 2 body parameter → OpenAPI 3 requestBody, definitions → components.schemas.
    expect(post?.openapiOperation?.requestBody).toEqual({
      required: true,
      content: {
        'application/json': { schema: { $ref: '#/components/schemas/RequestBodyModel' } },
      },
    })
    expect(warningPaths(warnings).sort()).toEqual([
      '/paths/~1validation/get/x-amazon-apigateway-auth',
      '/paths/~1validation/get/x-amazon-apigateway-integration/responses',
      '/paths/~1validation/post/x-amazon-apigateway-auth',
      '/paths/~1validation/post/x-amazon-apigateway-integration/responses',
      '/paths/~1validation/post/x-amazon-apigateway-request-validator',
      '/x-amazon-apigateway-request-validator',
      '/x-amazon-apigateway-request-validators',
    ])
    expect(api.importWarnings).toEqual(warnings)
  })

  it('imports the HTTP API pet store with HTTP_PROXY integrations and warns about CORS', () => {
    const { api, warnings } = mustImport(CORPUS['awsdocs-http-api-petstore-cors.json'], {
      protocolType: 'HTTP',
    })
    expect(api.protocolType).toBe('HTTP')
    expect(api.description).toBe('A Pet Store API.')
    expect(routeTable(api)).toEqual({
      'GET /pets': 'HTTP_PROXY http://petstore.execute-api.us-west-1.amazonaws.com/petstore/pets',
      'POST /pets': 'HTTP_PROXY http://petstore.execute-api.us-west-1.amazonaws.com/petstore/pets',
      'GET /pets/{petId}':
        'HTTP_PROXY http://petstore.execute-api.us-west-1.amazonaws.com/petstore/pets/{petId}',
    })
    expect(api.integrations.map((i) => i.payloadFormatVersion)).toEqual(['1.0', '1.0', '1.0'])
    expect(api.routes.map((r) => r.operationName)).toEqual(['GET HTTP', 'Create Pet', 'Get Pet'])
    expect(api.routes[2]?.requestParameters).toEqual({ 'method.request.path.petId': true })
    expect(warningPaths(warnings)).toEqual(['/x-amazon-apigateway-cors'])
  })

  it('imports the Lambda request-authorizer sample, failing the route closed', () => {
    const { api, warnings } = mustImport(CORPUS['awsdocs-rest-lambda-request-authorizer.json'])
    expect(routeTable(api)).toEqual({ 'GET /protected-by-lambda-authorizer': '(none)' })
    expect(api.routes[0]?.authorizationType).toBe('CUSTOM')
    expect(api.routes[0]?.authorizerId).toBe('myAuthorizer')
    expect(warningPaths(warnings).sort()).toEqual([
      '/components/securitySchemes/myAuthorizer/x-amazon-apigateway-authorizer',
      '/components/securitySchemes/myAuthorizer/x-amazon-apigateway-authtype',
      '/paths/~1protected-by-lambda-authorizer/get',
      '/paths/~1protected-by-lambda-authorizer/get/security/0/myAuthorizer',
    ])
  })

  it('imports aws-serverless-express: {proxy+}, any-method, mock CORS, stage-variable Lambda', () => {
    const { api, warnings } = mustImport(CORPUS['aws-serverless-express-simple-proxy-api.yaml'])
    const worker = 'WORKER worker://${stageVariables.ServerlessExpressLambdaFunctionName}'
    expect(routeTable(api)).toEqual({
      'ANY /': worker,
      'OPTIONS /': 'MOCK',
      'ANY /{proxy+}': worker,
      'OPTIONS /{proxy+}': 'MOCK',
    })
    expect(api.binaryMediaTypes).toEqual(['*/*'])
    expect(api.integrations[1]?.mockResponse).toEqual({
      statusCode: 200,
      headers: {
        'Access-Control-Allow-Methods': 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT',
        'Access-Control-Allow-Headers':
          'Content-Type,Authorization,X-Amz-Date,X-Api-Key,X-Amz-Security-Token',
        'Access-Control-Allow-Origin': 'https://example.com',
      },
    })
    expect(api.integrations[1]?.passthrough).toEqual({
      contentHandling: 'CONVERT_TO_TEXT',
      passthroughBehavior: 'when_no_match',
    })
    const uriWarnings = warnings.filter((w) => w.includes('/uri: '))
    expect(uriWarnings).toHaveLength(2)
    expect(uriWarnings[0]).toContain('stage variable ServerlessExpressLambdaFunctionName')
  })
})

describe('corpus: extension fragments (awsdocs-extension-fragments.json)', () => {
  const { fragments } = JSON.parse(CORPUS['awsdocs-extension-fragments.json']) as {
    fragments: Record<string, { value: Record<string, unknown> }>
  }
  /** A fragment inside a minimal document: Swagger 2 for securityDefinitions, else OpenAPI 3. */
  const wrap = (key: string, base: Record<string, unknown> = {}): string => {
    const value = fragments[key]?.value ?? {}
    const { securitySchemes, ...rest } = value
    const head = 'securityDefinitions' in value ? { swagger: '2.0' } : { openapi: '3.0.1' }
    const components = securitySchemes === undefined ? {} : { components: { securitySchemes } }
    return JSON.stringify({
      ...head,
      info: { title: key },
      paths: {},
      ...base,
      ...rest,
      ...components,
    })
  }

  it('maps DEFAULT_4XX and INVALID_API_KEY gateway responses, unquoting header literals', () => {
    const { api, warnings } = mustImport(wrap('gateway-responses/DEFAULT_4XX-and-INVALID_API_KEY'))
    expect(api.gatewayResponses).toEqual({
      DEFAULT_4XX: {
        responseParameters: { 'Access-Control-Allow-Origin': 'domain.com' },
        responseTemplates: { 'application/json': '{"message": test 4xx b }' },
      },
      INVALID_API_KEY: {
        statusCode: 429,
        responseTemplates: { 'application/json': '{"message": test forbidden }' },
      },
    })
    expect(warnings).toEqual([])
  })

  it('keeps MISSING_AUTHENTICATION_TOKEN with its static header and warns per dynamic header', () => {
    const { api, warnings, extras } = mustImport(
      wrap('gateway-responses/MISSING_AUTHENTICATION_TOKEN')
    )
    const response = api.gatewayResponses?.MISSING_AUTHENTICATION_TOKEN
    expect(response?.statusCode).toBe(404)
    expect(response?.responseParameters).toEqual({ 'Access-Control-Allow-Origin': 'a.b.c' })
    const base =
      '/x-amazon-apigateway-gateway-responses/MISSING_AUTHENTICATION_TOKEN/responseParameters/'
    expect(warningPaths(warnings)).toEqual([
      `${base}gatewayresponse.header.x-request-path`,
      `${base}gatewayresponse.header.x-request-query`,
      `${base}gatewayresponse.header.x-request-header`,
    ])
    expect(extras['x-amazon-apigateway-gateway-responses']).toEqual({
      MISSING_AUTHENTICATION_TOKEN: {
        responseParameters: {
          'gatewayresponse.header.x-request-path': 'method.input.params.petId',
          'gatewayresponse.header.x-request-query': 'method.input.params.q',
          'gatewayresponse.header.x-request-header': 'method.input.params.Accept',
        },
      },
    })
  })

  it('warns about CORS configuration by path', () => {
    const { warnings } = mustImport(wrap('cors/http-api'), { protocolType: 'HTTP' })
    expect(warningPaths(warnings)).toEqual(['/x-amazon-apigateway-cors'])
  })

  it.each([
    ['authorizer/rest-token-lambda', 'test-authorizer', 'CUSTOM'],
    ['authorizer/rest-request-single-header', 'request_authorizer_single_header', 'CUSTOM'],
    ['authorizer/rest-request-header-and-query', 'request_authorizer_header_query', 'CUSTOM'],
    ['authorizer/rest-request-stage-variable', 'request_authorizer_single_stagevar', 'CUSTOM'],
    ['authorizer/http-jwt-oauth2', 'jwt-authorizer-oauth', 'JWT'],
    ['authorizer/http-jwt-openidconnect-autofind', 'jwt-authorizer-autofind', 'JWT'],
    ['authorizer/http-lambda-request-simple-responses', 'lambda-authorizer', 'CUSTOM'],
  ])('keeps authorizer %s and fails routes using it closed', (key, scheme, type) => {
    const paths = {
      '/me': {
        get: {
          security: [{ [scheme]: ['email'] }],
          'x-amazon-apigateway-integration': { type: 'http_proxy', uri: 'https://up.example/me' },
        },
      },
    }
    const { api, warnings, extras } = mustImport(wrap(key, { paths }))
    expect(api.routes[0]?.authorizationType).toBe(type)
    expect(api.routes[0]?.authorizationScopes).toEqual(['email'])
    const container = key.startsWith('authorizer/rest')
      ? 'securityDefinitions'
      : 'components/securitySchemes'
    expect(warningPaths(warnings)).toContain(
      `/${container}/${scheme}/x-amazon-apigateway-authorizer`
    )
    expect(warningPaths(warnings)).toContain(`/paths/~1me/get/security/0/${scheme}`)
    const value = fragments[key]?.value
    // Swagger 2 securityDefinitions are kept as OpenAPI 3 components.securitySchemes.
    expect(extras.components).toEqual({
      securitySchemes: value?.securitySchemes ?? value?.securityDefinitions,
    })
  })

  it('reads x-amazon-apigateway-api-key-source from the Swagger 2 fragment', () => {
    const value = fragments['api-key-source/header']?.value ?? {}
    const { api } = mustImport(JSON.stringify({ ...value, paths: {} }))
    expect(api.apiKeySource).toBe('HEADER')
    expect(api.name).toBe('Test1')
  })
})

describe('corpus: documents that are refused', () => {
  it.each([
    ['awsdocs-rest-s3-proxy.json', 8],
    ['awsdocs-rest-simple-calc-lambda.json', 3],
    ['awsdocs-rest-lambda-proxy-validators.json', 3],
  ] as const)('refuses %s: AWS service integrations, one error per method', (file, count) => {
    const errors = refusal(file)
    expect(errors).toHaveLength(count)
    for (const e of errors) {
      expect(e.message).toMatch(AWS_SERVICE)
      expect(e.path).toMatch(/^\/paths\/.+\/x-amazon-apigateway-integration\/type$/)
    }
  })

  it('refuses the S3 proxy at the exact method', () => {
    expect(refusal('awsdocs-rest-s3-proxy.json')[0]?.path).toBe(
      '/paths/~1/get/x-amazon-apigateway-integration/type'
    )
  })

  it.each([
    [
      'sam-api-swagger-cors.yaml',
      'REST',
      '/paths/~1/x-amazon-apigateway-any-method/x-amazon-apigateway-integration/uri',
    ],
    [
      'serverless-patterns-cache-key-parameters.yaml',
      'REST',
      '/paths/~1pets/get/x-amazon-apigateway-integration/credentials',
    ],
    [
      'serverless-patterns-http-api-sqs-cors.yaml',
      'HTTP',
      '/paths/~1submit/post/x-amazon-apigateway-integration/credentials',
    ],
    [
      'serverless-patterns-reminders-gateway-responses.yaml',
      'REST',
      '/paths/~1reminders/get/x-amazon-apigateway-integration/credentials',
    ],
    [
      'serverless-patterns-restaurants-sigv4-validators.yaml',
      'REST',
      '/paths/~1restaurants/get/x-amazon-apigateway-integration/credentials',
    ],
  ] as const)('refuses %s: CloudFormation intrinsics, each named by path', (file, type, first) => {
    const errors = refusal(file, type)
    expect(errors.length).toBeGreaterThan(0)
    for (const e of errors) expect(e.message).toMatch(INTRINSIC)
    expect(errors[0]?.path).toBe(first)
  })

  it('names the Ref inside the SQS integration requestParameters', () => {
    const errors = refusal('serverless-patterns-http-api-sqs-cors.yaml', 'HTTP')
    expect(errors.map((e) => e.path)).toContain(
      '/paths/~1submit/post/x-amazon-apigateway-integration/requestParameters/QueueUrl'
    )
  })
})
