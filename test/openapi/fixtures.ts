/** Hand-written definitions that between them use every construct the importer supports. */

const LAMBDA =
  'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orderHandler:live/invocations'

/** A REST API (OpenAPI 3.0) exercising every supported REST construct. */
export const REST_EVERYTHING = {
  openapi: '3.0.1',
  info: {
    title: 'Everything',
    description: 'All supported constructs',
    version: '2026-11-27',
    contact: { name: 'Ops' },
  },
  servers: [
    { url: 'https://api.example.com/{basePath}', variables: { basePath: { default: 'v1' } } },
  ],
  tags: [{ name: 'team', 'x-amazon-apigateway-tag-value': 'payments' }, { name: 'pets' }],
  'x-amazon-apigateway-api-key-source': 'HEADER',
  'x-amazon-apigateway-binary-media-types': ['image/png', '*/*'],
  'x-portico-allow-loopback-upstreams': true,
  'x-amazon-apigateway-endpoint-configuration': {
    disableExecuteApiEndpoint: true,
    types: ['REGIONAL'],
  },
  'x-amazon-apigateway-gateway-responses': {
    THROTTLED: {
      statusCode: '429',
      responseParameters: {
        'gatewayresponse.header.Retry-After': "'1'",
        'gatewayresponse.header.X-Stage': 'stageVariables.name',
      },
      responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
    },
    DEFAULT_5XX: { responseTemplates: { 'application/json': '{"oops":true}' } },
  },
  'x-amazon-apigateway-request-validators': { all: { validateRequestBody: true } },
  'x-amazon-apigateway-minimum-compression-size': 1024,
  'x-amazon-apigateway-policy': {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } },
      },
      {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'execute-api:Invoke',
        Resource: 'arn:aws:execute-api:us-east-1:123456789012:abcde12345/*/*/*',
        Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.7' } },
      },
    ],
  },
  'x-amazon-apigateway-documentation': { version: '1', documentationParts: [] },
  'x-amazon-apigateway-something-new': { a: 1 },
  'x-company-owner': 'team-a',
  components: {
    schemas: { Pet: { type: 'object', properties: { id: { type: 'string' } } } },
    securitySchemes: {
      api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
      tokenAuth: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authtype': 'custom',
        'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: LAMBDA },
      },
    },
  },
  paths: {
    '/': {
      get: {
        operationId: 'root',
        'x-amazon-apigateway-integration': {
          type: 'http_proxy',
          httpMethod: 'ANY',
          uri: 'https://backend.example.com/',
        },
      },
    },
    '/pets': {
      get: {
        operationId: 'listPets',
        summary: 'List pets',
        tags: ['pets'],
        parameters: [
          { name: 'limit', in: 'query', required: true, schema: { type: 'integer' } },
          { name: 'X-Trace', in: 'header', schema: { type: 'string' } },
        ],
        responses: { '200': { description: 'ok' } },
        'x-amazon-apigateway-request-validator': 'all',
        'x-amazon-apigateway-integration': {
          type: 'http',
          httpMethod: 'GET',
          uri: 'https://backend.example.com/pets',
          timeoutInMillis: 5000,
          requestParameters: {
            'integration.request.querystring.max': 'method.request.querystring.limit',
            'integration.request.header.X-Trace-Id': 'method.request.header.X-Trace',
            'integration.request.header.X-Source': "'portico'",
            'integration.request.header.X-Request-Id': 'context.requestId',
            'integration.request.header.X-Env': 'stageVariables.env',
          },
          responses: { default: { statusCode: '200' } },
        },
      },
      post: {
        operationId: 'createPet',
        security: [{ api_key: [] }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
        },
        'x-amazon-apigateway-integration': {
          type: 'http',
          httpMethod: 'POST',
          uri: 'https://backend.example.com/pets',
          requestParameters: { 'integration.request.header.X-Body-Id': 'method.request.body.id' },
        },
      },
    },
    '/pets/{petId}': {
      parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'string' } }],
      get: {
        'x-amazon-apigateway-integration': {
          type: 'http_proxy',
          httpMethod: 'GET',
          uri: 'https://backend.example.com/pets/{id}',
          requestParameters: { 'integration.request.path.id': 'method.request.path.petId' },
          payloadFormatVersion: '1.0',
        },
      },
      delete: {
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 204}' },
          passthroughBehavior: 'when_no_match',
          responses: {
            '204': {
              statusCode: '204',
              responseParameters: { 'method.response.header.X-Deleted': "'yes'" },
              responseTemplates: { 'text/plain': 'deleted' },
            },
          },
        },
      },
    },
    '/files/{proxy+}': {
      'x-amazon-apigateway-any-method': {
        parameters: [{ name: 'proxy', in: 'path', required: true, schema: { type: 'string' } }],
        'x-amazon-apigateway-integration': {
          type: 'http_proxy',
          httpMethod: 'ANY',
          uri: 'https://${stageVariables.filesHost}/files/{proxy}',
          requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
        },
      },
    },
    '/orders': {
      post: {
        'x-amazon-apigateway-integration': {
          type: 'aws_proxy',
          httpMethod: 'POST',
          uri: LAMBDA,
          payloadFormatVersion: '1.0',
          credentials: 'arn:aws:iam::123456789012:role/invoke',
        },
      },
    },
    '/cached': {
      get: {
        parameters: [{ name: 'id', in: 'query', schema: { type: 'string' } }],
        'x-amazon-apigateway-integration': {
          type: 'http',
          httpMethod: 'GET',
          uri: 'https://backend.example.com/cached',
          cacheKeyParameters: ['method.request.querystring.id'],
          cacheNamespace: 'cached',
          passthroughBehavior: 'when_no_templates',
          contentHandling: 'CONVERT_TO_TEXT',
          requestTemplates: { 'application/json': '{"id": "$input.params(\'id\')"}' },
        },
      },
    },
    '/secure': {
      get: {
        security: [{ tokenAuth: [] }, { api_key: [] }],
        'x-amazon-apigateway-integration': {
          type: 'http_proxy',
          uri: 'https://backend.example.com/secure',
        },
      },
    },
    '/legacy': {
      get: {
        'x-amazon-apigateway-auth': { type: 'aws_iam' },
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: {
            default: { statusCode: '200', responseTemplates: { 'application/json': '{}' } },
          },
        },
      },
    },
  },
}

/** An HTTP API (OpenAPI 3.0) with `$default`, HTTP-API mapping grammar and a function ARN. */
export const HTTP_EVERYTHING = {
  openapi: '3.0.1',
  info: { title: 'Http everything', version: '1' },
  'x-amazon-apigateway-cors': { allowOrigins: ['https://app.example.com'] },
  'x-amazon-apigateway-importexport-version': '1.0',
  paths: {
    '/$default': {
      'x-amazon-apigateway-any-method': {
        isDefaultRoute: true,
        'x-amazon-apigateway-integration': {
          type: 'aws_proxy',
          httpMethod: 'POST',
          uri: 'arn:aws:lambda:us-east-1:123456789012:function:Catch-All',
          payloadFormatVersion: '2.0',
          connectionType: 'INTERNET',
        },
      },
    },
    '/pets/{id}': {
      get: {
        'x-amazon-apigateway-integration': {
          type: 'http_proxy',
          httpMethod: 'GET',
          uri: 'https://backend.example.com/pets/{id}',
          payloadFormatVersion: '1.0',
          requestParameters: {
            'append:header.X-Tenant': '$context.authorizer.tenant',
            'remove:querystring.debug': "''",
            'overwrite:path': '/v2/pets/${request.path.id}',
          },
          responseParameters: {
            '404': { 'overwrite:statuscode': '410' },
            '200': { 'append:header.X-Source': 'portico', 'remove:header.Server': "''" },
          },
          tlsConfig: { serverNameToVerify: 'backend.example.com' },
        },
      },
    },
  },
}
