/**
 * The Lambda proxy integration event, payload format 2.0 (HTTP APIs). AWS conventions: header
 * names lower-case with repeated values comma-joined, cookies moved out of `headers` into
 * `cookies`, query values comma-joined, and empty optional fields absent (not null). Public
 * contract: demo backends import these types.
 */
import type { RequestContext } from '../pipeline/types'
import { lambdaContextHead, formatRequestTime, requestProtocol } from './context-variables'
import type { LambdaBody } from './lambda-body'

export interface LambdaRequestContextV2 {
  accountId: string
  apiId: string
  /** JWT: `{ jwt: { claims, scopes } }`; Lambda authorizer: `{ lambda: context }`. */
  authorizer?: Record<string, unknown>
  domainName: string
  domainPrefix: string
  http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string }
  requestId: string
  routeKey: string
  stage: string
  time: string
  timeEpoch: number
}

/** AWS `APIGatewayProxyEventV2`. */
export interface LambdaEventV2 {
  version: '2.0'
  routeKey: string
  rawPath: string
  rawQueryString: string
  cookies?: string[]
  headers: Record<string, string>
  queryStringParameters?: Record<string, string>
  pathParameters?: Record<string, string>
  stageVariables?: Record<string, string>
  requestContext: LambdaRequestContextV2
  body?: string
  isBase64Encoded: boolean
}

function authorizerV2(ctx: RequestContext): Record<string, unknown> | undefined {
  const { principalId, authorizerContext, claims } = ctx.identity
  if (claims !== undefined) {
    const scope = claims.scope
    const scopes = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : null
    return { jwt: { claims: { ...claims }, scopes } }
  }
  if (authorizerContext !== undefined) return { lambda: { ...authorizerContext } }
  return principalId === undefined ? undefined : { lambda: { principalId } }
}

/** Builds a 2.0 event. `rawPath` is the path as addressed (AWS keeps the stage in it). */
export function buildLambdaEventV2(ctx: RequestContext, body: LambdaBody): LambdaEventV2 {
  const headers: Record<string, string> = {}
  let cookies: string[] = []
  for (const [name, value] of ctx.request.headers) {
    if (name === 'cookie') {
      cookies = value
        .split(';')
        .map((c) => c.trim())
        .filter((c) => c !== '')
    } else headers[name] = value
  }
  const query: Record<string, string> = {}
  for (const name of new Set(ctx.query.keys())) query[name] = ctx.query.getAll(name).join(',')
  const authorizer = authorizerV2(ctx)
  const has = (r: Readonly<Record<string, string>>): boolean => Object.keys(r).length > 0
  return {
    version: '2.0',
    routeKey: ctx.routeKey,
    rawPath: ctx.fullPath,
    rawQueryString: ctx.url.search.slice(1),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(has(query) ? { queryStringParameters: query } : {}),
    requestContext: {
      ...lambdaContextHead(ctx, authorizer),
      http: {
        method: ctx.request.method,
        path: ctx.fullPath,
        protocol: requestProtocol(ctx.request),
        sourceIp: ctx.clientIp,
        userAgent: ctx.request.headers.get('user-agent') ?? '',
      },
      requestId: ctx.requestId,
      routeKey: ctx.routeKey,
      stage: ctx.stage.name,
      time: formatRequestTime(ctx.startTime),
      timeEpoch: ctx.startTime,
    },
    ...(body.body !== null ? { body: body.body } : {}),
    ...(has(ctx.pathParameters) ? { pathParameters: { ...ctx.pathParameters } } : {}),
    isBase64Encoded: body.isBase64Encoded,
    ...(has(ctx.stage.variables) ? { stageVariables: { ...ctx.stage.variables } } : {}),
  }
}
