/**
 * `$context.*` variables as AWS defines them for HTTP APIs and REST APIs, resolved from the
 * request context. The caller's API key value is deliberately not offered (a mapping must not
 * copy a credential into headers, logs or mock bodies); its id is.
 */
import type { RequestContext } from '../pipeline/types'

/** Portico has no AWS accounts; AWS's 12-digit field is filled with this constant. */
export const PORTICO_ACCOUNT_ID = '000000000000'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** AWS `requestTime` format: `04/Mar/2020:19:15:17 +0000` (CLF). */
export function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs)
  const pad = (n: number): string => String(n).padStart(2, '0')
  const month = MONTHS[d.getUTCMonth()] ?? 'Jan'
  return (
    `${pad(d.getUTCDate())}/${month}/${String(d.getUTCFullYear())}:` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
  )
}

/** The `requestContext` fields both Lambda payload formats open with, in AWS's order. */
export function lambdaContextHead(
  ctx: RequestContext,
  authorizer: Record<string, unknown> | undefined
): {
  accountId: string
  apiId: string
  authorizer?: Record<string, unknown>
  domainName: string
  domainPrefix: string
} {
  return {
    accountId: PORTICO_ACCOUNT_ID,
    apiId: ctx.api.id,
    ...(authorizer ? { authorizer } : {}),
    domainName: ctx.domainName,
    domainPrefix: domainPrefix(ctx.domainName),
  }
}

/** `abc123defg.execute-api.localhost` → `abc123defg` (AWS `domainPrefix`). */
export function domainPrefix(domainName: string): string {
  return domainName.split('.')[0] ?? ''
}

/** The HTTP version the client used, from the platform when it says (AWS `protocol`). */
export function requestProtocol(request: Request): string {
  const cf: unknown = request.cf
  if (typeof cf === 'object' && cf !== null && 'httpProtocol' in cf) {
    const value = cf.httpProtocol
    if (typeof value === 'string' && value !== '') return value
  }
  return 'HTTP/1.1'
}

type Resolver = (ctx: RequestContext) => string | undefined

const VARIABLES: Readonly<Record<string, Resolver>> = {
  accountId: () => PORTICO_ACCOUNT_ID,
  apiId: (ctx) => ctx.api.id,
  domainName: (ctx) => ctx.domainName,
  domainPrefix: (ctx) => domainPrefix(ctx.domainName),
  extendedRequestId: (ctx) => ctx.requestId,
  httpMethod: (ctx) => ctx.request.method,
  'identity.sourceIp': (ctx) => ctx.clientIp,
  'identity.userAgent': (ctx) => ctx.request.headers.get('user-agent') ?? undefined,
  'identity.apiKeyId': (ctx) => ctx.identity.apiKeyId,
  path: (ctx) => ctx.fullPath,
  protocol: (ctx) => requestProtocol(ctx.request),
  requestId: (ctx) => ctx.requestId,
  requestTime: (ctx) => formatRequestTime(ctx.startTime),
  requestTimeEpoch: (ctx) => String(ctx.startTime),
  resourceId: (ctx) => ctx.route.id,
  resourcePath: (ctx) => ctx.resourcePath,
  routeKey: (ctx) => ctx.routeKey,
  stage: (ctx) => ctx.stage.name,
  'authorizer.principalId': (ctx) => ctx.identity.principalId,
}

/** Whether `name` (after `$context.`) is a variable Portico resolves. */
export function isKnownContextVariable(name: string): boolean {
  if (Object.hasOwn(VARIABLES, name)) return true
  return /^authorizer\.(claims\.)?[A-Za-z0-9_:-]+$/.test(name)
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) {
    return JSON.stringify(value)
  }
  return undefined
}

/** Resolves `$context.{name}`; undefined when the request has no such value. */
export function resolveContextVariable(ctx: RequestContext, name: string): string | undefined {
  const resolver = Object.hasOwn(VARIABLES, name) ? VARIABLES[name] : undefined
  if (resolver !== undefined) return resolver(ctx)
  if (name.startsWith('authorizer.claims.')) {
    const key = name.slice('authorizer.claims.'.length)
    const claims = ctx.identity.claims
    return claims && Object.hasOwn(claims, key) ? scalar(claims[key]) : undefined
  }
  if (name.startsWith('authorizer.')) {
    const key = name.slice('authorizer.'.length)
    // HTTP API JWT authorizers expose claims as `authorizer.claims.x`; Lambda authorizers
    // expose their context as `authorizer.x`.
    const context = ctx.identity.authorizerContext
    return context && Object.hasOwn(context, key) ? scalar(context[key]) : undefined
  }
  return undefined
}
