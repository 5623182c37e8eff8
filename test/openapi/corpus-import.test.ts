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
    // Swagger 2 body parameter → requestBody whose schema became the route's model;
    // definitions → models; the validators and the document's default validator → config.
    expect(post?.openapiOperation?.requestBody).toEqual({
      required: true,
      content: { 'application/json': {} },
    })
    expect(post?.requestModels).toEqual({ 'application/json': 'RequestBodyModel' })
    expect(api.models?.map((m) => m.name)).toEqual(['RequestBodyModel', 'Error'])
    expect(api.models?.[0]?.schema).toMatchObject({ required: ['type', 'name', 'price'] })
    expect(api.requestValidators).toEqual([
      { id: 'all', name: 'all', validateRequestBody: true, validateRequestParameters: true },
      {
        id: 'params-only',
        name: 'params-only',
        validateRequestBody: false,
        validateRequestParameters: true,
      },
    ])
    expect(post?.requestValidatorId).toBe('all')
    expect(get?.requestValidatorId).toBe('params-only')
    expect(warningPaths(warnings).sort()).toEqual([
      '/paths/~1validation/get/x-amazon-apigateway-auth',
      '/paths/~1validation/get/x-amazon-apigateway-integration/responses',
      '/paths/~1validation/post/x-amazon-apigateway-auth',
      '/paths/~1validation/post/x-amazon-apigateway-integration/responses',
    ])
    expect(api.importWarnings).toEqual(warnings)
  })

  it('imports the HTTP API pet store with HTTP_PROXY integrations and its CORS configuration', () => {
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
    expect(api.corsConfiguration).toEqual({
      allowOrigins: ['*'],
      allowMethods: ['GET', 'OPTIONS', 'POST'],
      allowHeaders: [
        'x-amzm-header',
        'x-apigateway-header',
        'x-api-key',
        'authorization',
        'x-amz-date',
        'content-type',
      ],
    })
    // HTTP APIs have no models: the body schema stays a plain OpenAPI reference.
    expect(api.models).toBeUndefined()
    expect(warnings).toEqual([])
  })

  it('imports the Lambda request-authorizer sample as a REQUEST authorizer on a Worker', () => {
    const { api, warnings, extras } = mustImport(
      CORPUS['awsdocs-rest-lambda-request-authorizer.json']
    )
    expect(routeTable(api)).toEqual({ 'GET /protected-by-lambda-authorizer': '(none)' })
    expect(api.authorizers).toEqual([
      {
        id: 'myAuthorizer',
        name: 'myAuthorizer',
        authorizerType: 'REQUEST',
        identitySource: ['$request.header.Authorization'],
        authorizerUri: 'worker://FUNCTION_NAME',
        authorizerResultTtlInSeconds: 300,
        enableSimpleResponses: false,
      },
    ])
    expect(api.routes[0]?.authorizationType).toBe('CUSTOM')
    expect(api.routes[0]?.authorizerId).toBe('myAuthorizer')
    expect(extras.components).toBeUndefined()
    // Only the missing integration is left to warn about.
    expect(warningPaths(warnings)).toEqual(['/paths/~1protected-by-lambda-authorizer/get'])
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

  it('imports the CORS configuration', () => {
    const { api, warnings, extras } = mustImport(wrap('cors/http-api'), { protocolType: 'HTTP' })
    expect(api.corsConfiguration).toEqual(
      fragments['cors/http-api']?.value['x-amazon-apigateway-cors']
    )
    expect(extras['x-amazon-apigateway-cors']).toBeUndefined()
    expect(warnings).toEqual([])
  })

  const REQUEST_WORKER = 'worker://API_GATEWAY_REQUEST_AUTHORIZER_VTWO'
  it.each([
    [
      'authorizer/rest-token-lambda',
      'test-authorizer',
      'CUSTOM',
      {
        authorizerType: 'TOKEN',
        identitySource: ['$request.header.Authorization'],
        authorizerUri: 'worker://FUNCTION_NAME',
        identityValidationExpression: '^x-[a-z]+',
        authorizerResultTtlInSeconds: 60,
      },
    ],
    [
      'authorizer/rest-request-single-header',
      'request_authorizer_single_header',
      'CUSTOM',
      {
        authorizerType: 'REQUEST',
        identitySource: ['$request.header.auth'],
        authorizerUri: REQUEST_WORKER,
        authorizerResultTtlInSeconds: 300,
      },
    ],
    [
      'authorizer/rest-request-header-and-query',
      'request_authorizer_header_query',
      'CUSTOM',
      {
        authorizerType: 'REQUEST',
        identitySource: ['$request.header.HeaderAuth1', '$request.querystring.QueryString1'],
        authorizerUri: REQUEST_WORKER,
      },
    ],
    [
      'authorizer/rest-request-stage-variable',
      'request_authorizer_single_stagevar',
      'CUSTOM',
      { authorizerType: 'REQUEST', identitySource: ['$stageVariables.stage'] },
    ],
    [
      'authorizer/http-jwt-oauth2',
      'jwt-authorizer-oauth',
      'JWT',
      {
        authorizerType: 'JWT',
        identitySource: ['$request.header.Authorization'],
        jwtConfiguration: {
          issuer: 'https://cognito-idp.region.amazonaws.com/userPoolId',
          audience: ['audience1', 'audience2'],
        },
      },
    ],
    [
      'authorizer/http-jwt-openidconnect-autofind',
      'jwt-authorizer-autofind',
      'JWT',
      {
        authorizerType: 'JWT',
        // The issuer is found from the scheme's openIdConnectUrl, as AWS does.
        jwtConfiguration: {
          issuer: 'https://cognito-idp.region.amazonaws.com/userPoolId',
          audience: ['audience1', 'audience2'],
        },
      },
    ],
    [
      'authorizer/http-lambda-request-simple-responses',
      'lambda-authorizer',
      'CUSTOM',
      {
        authorizerType: 'REQUEST',
        authorizerUri: 'worker://FUNCTION_NAME',
        authorizerPayloadFormatVersion: '2.0',
        enableSimpleResponses: true,
      },
    ],
  ])(
    'imports authorizer %s and points the routes using it at it',
    (key, scheme, type, expected) => {
      const paths = {
        '/me': {
          get: {
            security: [{ [scheme]: ['email'] }],
            'x-amazon-apigateway-integration': { type: 'http_proxy', uri: 'https://up.example/me' },
          },
        },
      }
      const protocolType = key.startsWith('authorizer/rest') ? 'REST' : 'HTTP'
      const { api, warnings, extras } = mustImport(wrap(key, { paths }), { protocolType })
      expect(api.authorizers).toHaveLength(1)
      expect(api.authorizers?.[0]).toMatchObject({ name: scheme, ...expected })
      expect(api.routes[0]).toMatchObject({
        authorizationType: type,
        authorizationScopes: ['email'],
        authorizerId: api.authorizers?.[0]?.id,
      })
      expect(warnings).toEqual([])
      expect(extras.components).toBeUndefined()
    }
  )

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
