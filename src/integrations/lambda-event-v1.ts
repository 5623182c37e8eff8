/**
 * The Lambda proxy integration event, payload format 1.0 (REST APIs; HTTP APIs on request).
 * Field names, nulls and order follow AWS: empty maps are `null`, not `{}`; `requestContext.path`
 * includes the stage, `path` does not. Public contract: demo backends import these types.
 */
import type { RequestContext } from '../pipeline/types'
import { lambdaContextHead, formatRequestTime, requestProtocol } from './context-variables'
import type { LambdaBody } from './lambda-body'

/** `requestContext.identity` of a 1.0 event. Portico has no IAM/Cognito: those stay null. */
export interface LambdaIdentityV1 {
  accessKey: null
  accountId: null
  apiKey: string | null
  apiKeyId: string | null
  caller: null
  cognitoAuthenticationProvider: null
  cognitoAuthenticationType: null
  cognitoIdentityId: null
  cognitoIdentityPoolId: null
  principalOrgId: null
  sourceIp: string
  user: null
  userAgent: string | null
  userArn: null
}

export interface LambdaRequestContextV1 {
  accountId: string
  apiId: string
  /** Lambda authorizer: principalId + context; JWT/Cognito: `claims` (and `scopes`). */
  authorizer?: Record<string, unknown>
  domainName: string
  domainPrefix: string
  extendedRequestId: string
  httpMethod: string
  identity: LambdaIdentityV1
  path: string
  protocol: string
  requestId: string
  requestTime: string
  requestTimeEpoch: number
  resourceId: string
  resourcePath: string
  stage: string
}

/** AWS `APIGatewayProxyEvent`. */
export interface LambdaEventV1 {
  /** Present ('1.0') only for HTTP APIs, as AWS sends it. */
  version?: '1.0'
  resource: string
  path: string
  httpMethod: string
  headers: Record<string, string> | null
  multiValueHeaders: Record<string, string[]> | null
  queryStringParameters: Record<string, string> | null
  multiValueQueryStringParameters: Record<string, string[]> | null
  pathParameters: Record<string, string> | null
  stageVariables: Record<string, string> | null
  requestContext: LambdaRequestContextV1
  body: string | null
  isBase64Encoded: boolean
}

function nonEmpty<T>(record: Record<string, T>): Record<string, T> | null {
  return Object.keys(record).length === 0 ? null : record
}

function authorizerV1(ctx: RequestContext): Record<string, unknown> | undefined {
  const { principalId, authorizerContext, claims } = ctx.identity
  if (claims !== undefined) return { claims: { ...claims } }
  if (principalId === undefined && authorizerContext === undefined) return undefined
  return { ...(authorizerContext ?? {}), ...(principalId !== undefined ? { principalId } : {}) }
}

/** Builds a 1.0 event. Workers joins repeated headers with ", ", so each has one value. */
export function buildLambdaEventV1(ctx: RequestContext, body: LambdaBody): LambdaEventV1 {
  const headers: Record<string, string> = {}
  const multiValueHeaders: Record<string, string[]> = {}
  for (const [name, value] of ctx.request.headers) {
    headers[name] = value
    multiValueHeaders[name] = [value]
  }
  // AWS: `queryStringParameters` holds the last value of each name; the multi map holds all.
  const query: Record<string, string> = {}
  const multiQuery: Record<string, string[]> = {}
  for (const [name, value] of ctx.query) {
    query[name] = value
    ;(multiQuery[name] ??= []).push(value)
  }
  const authorizer = authorizerV1(ctx)
  return {
    ...(ctx.protocol === 'HTTP' ? { version: '1.0' as const } : {}),
    resource: ctx.resourcePath,
    path: ctx.path,
    httpMethod: ctx.request.method,
    headers: nonEmpty(headers),
    multiValueHeaders: nonEmpty(multiValueHeaders),
    queryStringParameters: nonEmpty(query),
    multiValueQueryStringParameters: nonEmpty(multiQuery),
    pathParameters: nonEmpty({ ...ctx.pathParameters }),
    stageVariables: nonEmpty({ ...ctx.stage.variables }),
    requestContext: {
      ...lambdaContextHead(ctx, authorizer),
      extendedRequestId: ctx.requestId,
      httpMethod: ctx.request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: ctx.identity.apiKey ?? null,
        apiKeyId: ctx.identity.apiKeyId ?? null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: ctx.clientIp,
        user: null,
        userAgent: ctx.request.headers.get('user-agent'),
        userArn: null,
      },
      path: ctx.fullPath,
      protocol: requestProtocol(ctx.request),
      requestId: ctx.requestId,
      requestTime: formatRequestTime(ctx.startTime),
      requestTimeEpoch: ctx.startTime,
      resourceId: ctx.route.id,
      resourcePath: ctx.resourcePath,
      stage: ctx.stage.name,
    },
    body: body.body,
    isBase64Encoded: body.isBase64Encoded,
  }
}
