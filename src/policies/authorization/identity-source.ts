/**
 * Authorizer identity sources in AWS HTTP API syntax (`$request.header.Authorization`,
 * `$request.querystring.token`, `$context.requestId`, `$stageVariables.name`), resolved against
 * one request. Used by JWT and request authorizers alike (and the result-cache key).
 */
import { resolveContextVariable } from '../../integrations/context-variables'
import type { RequestContext } from '../../pipeline/types'

export type IdentitySource =
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'querystring'; readonly name: string }
  | { readonly kind: 'context'; readonly name: string }
  | { readonly kind: 'stageVariables'; readonly name: string }

const PREFIXES = [
  ['$request.header.', 'header'],
  ['$request.querystring.', 'querystring'],
  ['$context.', 'context'],
  ['$stageVariables.', 'stageVariables'],
] as const

/**
 * Parses one identity source. REST's `method.request.header.X` / `method.request.querystring.x`
 * spellings are accepted too (the OpenAPI importer and the v1 admin API use them).
 */
export function parseIdentitySource(text: string): IdentitySource | undefined {
  const normalized = text.startsWith('method.request.')
    ? `$request.${text.slice('method.request.'.length)}`
    : text
  for (const [prefix, kind] of PREFIXES) {
    if (normalized.startsWith(prefix) && normalized.length > prefix.length) {
      const name = normalized.slice(prefix.length)
      return { kind, name: kind === 'header' ? name.toLowerCase() : name }
    }
  }
  return undefined
}

/** The source's value in this request; undefined when absent or blank (AWS: "not present"). */
export function resolveIdentitySource(
  ctx: RequestContext,
  source: IdentitySource
): string | undefined {
  let value: string | null | undefined
  switch (source.kind) {
    case 'header':
      value = ctx.request.headers.get(source.name)
      break
    case 'querystring':
      value = ctx.query.get(source.name)
      break
    case 'context':
      value = resolveContextVariable(ctx, source.name)
      break
    case 'stageVariables':
      value = Object.hasOwn(ctx.stage.variables, source.name)
        ? ctx.stage.variables[source.name]
        : undefined
      break
  }
  return value === null || value === undefined || value.trim() === '' ? undefined : value
}
