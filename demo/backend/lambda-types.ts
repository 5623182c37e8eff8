/**
 * The AWS Lambda proxy integration shapes the demo handler uses (a subset of `@types/aws-lambda`,
 * kept local so the demo has no dependency). Payload format 1.0 is what REST APIs send; 2.0 is
 * the HTTP API default.
 */

/** Payload format 1.0 (REST APIs, `x-amazon-apigateway-integration` type `aws_proxy`). */
export interface ProxyEventV1 {
  version?: '1.0'
  resource: string
  path: string
  httpMethod: string
  headers: Record<string, string> | null
  multiValueHeaders?: Record<string, string[]> | null
  queryStringParameters: Record<string, string> | null
  multiValueQueryStringParameters?: Record<string, string[]> | null
  pathParameters: Record<string, string> | null
  stageVariables: Record<string, string> | null
  requestContext: {
    requestId: string
    stage: string
    resourcePath?: string
    httpMethod?: string
    identity?: { sourceIp?: string }
  }
  body: string | null
  isBase64Encoded: boolean
}

/** Payload format 2.0 (HTTP APIs). */
export interface ProxyEventV2 {
  version: '2.0'
  routeKey: string
  rawPath: string
  rawQueryString: string
  cookies?: string[]
  headers: Record<string, string>
  queryStringParameters?: Record<string, string>
  pathParameters?: Record<string, string>
  stageVariables?: Record<string, string>
  requestContext: {
    requestId: string
    routeKey: string
    stage: string
    http: { method: string; path: string; sourceIp?: string }
  }
  body?: string
  isBase64Encoded: boolean
}

export type ProxyEvent = ProxyEventV1 | ProxyEventV2

/** The Lambda proxy response (both formats accept this shape). */
export interface ProxyResult {
  statusCode: number
  headers?: Record<string, string>
  multiValueHeaders?: Record<string, string[]>
  body?: string
  isBase64Encoded?: boolean
}

/** The parts of the Lambda context object a handler commonly reads. */
export interface LambdaContext {
  functionName: string
  awsRequestId: string
  getRemainingTimeInMillis(): number
}

export function isV2(event: ProxyEvent): event is ProxyEventV2 {
  return event.version === '2.0'
}
