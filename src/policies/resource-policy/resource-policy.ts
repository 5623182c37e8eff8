/**
 * IP resource policies (issue 4): allow/deny lists of CIDR blocks per API and per route, checked
 * against the platform's client IP (`ctx.clientIp`, from `CF-Connecting-IP`) only — never
 * `X-Forwarded-For`, `X-Real-IP` or any other client-settable header. Route-level lists add to
 * the API's. Deny wins; when any allow list is present the IP must match one of its entries; a
 * client IP that does not parse is denied whenever a list is present. Denied → 403 ACCESS_DENIED
 * before any authorizer, limit or upstream call. Blocks are parsed once per build.
 */
import type { ApiConfig, ResourcePolicyConfig, RouteConfig } from '../../config/types'
import { GatewayError } from '../../errors/gateway-error'
import type { Policy, PolicyHandler, RequestContext } from '../../pipeline/types'
import { anyContains, parseCidr, parseIp, type CidrBlock } from './cidr'

/** The lists of one route (API + route level), parsed. */
export interface CompiledResourcePolicy {
  readonly allow: readonly CidrBlock[]
  /** An allow list is present (even an empty one: then nobody is allowed). */
  readonly hasAllow: boolean
  readonly deny: readonly CidrBlock[]
}

export type Decision = { allowed: true } | { allowed: false; reason: string }

export type CompileResult =
  { ok: true; policy: CompiledResourcePolicy | undefined } | { ok: false; error: string }

function parseList(
  entries: readonly string[] | undefined,
  where: string,
  into: CidrBlock[]
): string | undefined {
  for (const [i, entry] of (entries ?? []).entries()) {
    const parsed = parseCidr(entry)
    if (!parsed.ok) return `${where}[${String(i)}]: ${parsed.error}`
    into.push(parsed.block)
  }
  return undefined
}

/** Combines the API's and the route's lists; `undefined` policy when neither has any. */
export function compileResourcePolicy(
  apiLevel: ResourcePolicyConfig | undefined,
  routeLevel: ResourcePolicyConfig | undefined
): CompileResult {
  const allow: CidrBlock[] = []
  const deny: CidrBlock[] = []
  const hasAllow = apiLevel?.sourceIpAllow !== undefined || routeLevel?.sourceIpAllow !== undefined
  const hasDeny = apiLevel?.sourceIpDeny !== undefined || routeLevel?.sourceIpDeny !== undefined
  if (!hasAllow && !hasDeny) return { ok: true, policy: undefined }
  const error =
    parseList(apiLevel?.sourceIpAllow, 'api sourceIpAllow', allow) ??
    parseList(apiLevel?.sourceIpDeny, 'api sourceIpDeny', deny) ??
    parseList(routeLevel?.sourceIpAllow, 'route sourceIpAllow', allow) ??
    parseList(routeLevel?.sourceIpDeny, 'route sourceIpDeny', deny)
  if (error !== undefined) return { ok: false, error }
  return { ok: true, policy: { allow, hasAllow, deny } }
}

/** The decision for one client IP (the platform's, as text). */
export function decide(policy: CompiledResourcePolicy, clientIp: string): Decision {
  const ip = parseIp(clientIp)
  if (ip === undefined) return { allowed: false, reason: 'client IP is not a valid address' }
  if (anyContains(policy.deny, ip))
    return { allowed: false, reason: 'client IP matches a deny rule' }
  if (policy.hasAllow && !anyContains(policy.allow, ip)) {
    return { allowed: false, reason: 'client IP matches no allow rule' }
  }
  return { allowed: true }
}

/** The method as sent, cut short: the message never grows with what the client sends. */
const MAX_METHOD_IN_MESSAGE = 16

function accessDenied(ctx: RequestContext, reason: string): GatewayError {
  const resource =
    `arn:aws:execute-api:portico:000000000000:${ctx.api.id}/${ctx.stage.name}/` +
    `${ctx.request.method.slice(0, MAX_METHOD_IN_MESSAGE)}${ctx.resourcePath}`
  return new GatewayError('ACCESS_DENIED', {
    status: 403,
    // AWS's wording for an explicit deny in a resource policy (no caller identity yet here).
    message: `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${resource}`,
    reason: `resource policy: ${reason}`,
  })
}

function buildHandler(api: ApiConfig, route: RouteConfig): PolicyHandler | undefined {
  const compiled = compileResourcePolicy(api.resourcePolicy, route.resourcePolicy)
  if (!compiled.ok) {
    // Only reachable for a document written around the admin API's validation: fail closed.
    const reason = `route ${route.routeKey}: resource policy ${compiled.error}`
    return () => Promise.reject(new GatewayError('API_CONFIGURATION_ERROR', { reason }))
  }
  const policy = compiled.policy
  if (policy === undefined) return undefined
  return (ctx, next) => {
    const decision = decide(policy, ctx.clientIp)
    if (!decision.allowed) return Promise.reject(accessDenied(ctx, decision.reason))
    return next()
  }
}

export const resourcePolicy: Policy = {
  name: 'resource-policy',
  build({ api, route }) {
    return buildHandler(api, route)
  },
}
