/**
 * Write-time checks for authorizers and the routes that use them: unique ids and names, each
 * route's `authorizerId` naming an authorizer of a type that fits its `authorizationType`
 * (JWT ↔ JWT; CUSTOM ↔ REQUEST/TOKEN), and each REQUEST/TOKEN authorizer compiling exactly as
 * the edge will compile it (identity sources, `worker://` binding or SSRF-checked https URL,
 * a token pattern that cannot backtrack catastrophically, payload version). JWT authorizers are
 * checked by `validate-jwt-authorizer.ts`.
 *
 * On the edge's load path (`routeLevel: false`) only the document-wide rules apply: a route whose
 * authorizer is unknown or unusable is built as a 500 AUTHORIZER_CONFIGURATION_ERROR on that
 * route alone, never served unauthenticated.
 */
import { compileRequestAuthorizer } from '../policies/authorization/request/compile'
import type { ApiConfig, AuthorizerConfig, RouteConfig } from './types'
import type { SemanticOptions } from './validate-api'
import { checkJwtAuthorizer } from './validate-jwt-authorizer'
import { pointer, type ConfigIssue } from './validate-issues'

/** Which authorizer types a route's authorizationType can use. */
const FITTING_TYPES: Readonly<Record<string, readonly AuthorizerConfig['authorizerType'][]>> = {
  JWT: ['JWT'],
  CUSTOM: ['REQUEST', 'TOKEN'],
}

function duplicateIssues(
  authorizers: readonly AuthorizerConfig[],
  field: 'id' | 'name',
  base: string
): ConfigIssue[] {
  const seen = new Map<string, number>()
  const issues: ConfigIssue[] = []
  authorizers.forEach((authorizer, index) => {
    const value = authorizer[field]
    const earlier = seen.get(value)
    if (earlier === undefined) seen.set(value, index)
    else {
      issues.push({
        path: `${base}${pointer('authorizers', index, field)}`,
        message: `duplicate authorizer ${field} ${JSON.stringify(value)} (also at ${base}${pointer('authorizers', earlier, field)})`,
      })
    }
  })
  return issues
}

function authorizerConfigIssues(
  authorizer: AuthorizerConfig,
  at: string,
  api: ApiConfig
): ConfigIssue[] {
  if (authorizer.authorizerType === 'JWT') return checkJwtAuthorizer(authorizer, at, api)
  const compiled = compileRequestAuthorizer(authorizer, api)
  return compiled.ok
    ? []
    : compiled.error.map((problem) => ({
        path: `${at}/${problem.field}`,
        message: problem.message,
      }))
}

function routeIssues(
  route: RouteConfig,
  at: string,
  byId: ReadonlyMap<string, AuthorizerConfig>
): ConfigIssue[] {
  const type = route.authorizationType
  const fitting = type === undefined ? undefined : FITTING_TYPES[type]
  if (fitting === undefined || route.authorizerId === undefined) return []
  const authorizer = byId.get(route.authorizerId)
  if (authorizer === undefined) {
    return [
      {
        path: `${at}/authorizerId`,
        message: `refers to unknown authorizer ${JSON.stringify(route.authorizerId)}`,
      },
    ]
  }
  if (!fitting.includes(authorizer.authorizerType)) {
    return [
      {
        path: `${at}/authorizerId`,
        message: `authorizationType ${type ?? ''} cannot use ${authorizer.authorizerType} authorizer ${JSON.stringify(authorizer.id)}`,
      },
    ]
  }
  return []
}

/** Authorizer issues of a schema-valid API; `base` prefixes paths (`/api` in a deployment). */
export function authorizerIssues(
  api: ApiConfig,
  base: string,
  options: SemanticOptions
): ConfigIssue[] {
  const authorizers = api.authorizers ?? []
  const issues = [
    ...duplicateIssues(authorizers, 'id', base),
    ...duplicateIssues(authorizers, 'name', base),
  ]
  if (!options.routeLevel) return issues
  authorizers.forEach((authorizer, index) => {
    issues.push(
      ...authorizerConfigIssues(authorizer, `${base}${pointer('authorizers', index)}`, api)
    )
  })
  const byId = new Map(authorizers.map((a) => [a.id, a]))
  api.routes.forEach((route, index) => {
    issues.push(...routeIssues(route, `${base}${pointer('routes', index)}`, byId))
  })
  return issues
}
