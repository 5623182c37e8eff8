/**
 * A REQUEST/TOKEN authorizer's config, checked and compiled once: identity sources parsed, the
 * target (service binding or SSRF-checked https URL) resolved, the token pattern vetted, defaults
 * applied. The write-time check (config/validate-authorizers.ts) and the policy build use this
 * same function, so what the admin API accepts is exactly what the edge can run — and what the
 * edge cannot run fails closed on the routes that use it.
 */
import type { ApiConfig, AuthorizerConfig } from '../../../config/types'
import { checkUpstreamUrl } from '../../../config/upstream-url'
import { BINDING_NAME } from '../../../integrations/binding-name'
import { err, ok, type Result } from '../../../result'
import { parseIdentitySource, type IdentitySource } from '../identity-source'
import { compileTokenPattern } from './token-pattern'

/** AWS defaults: results cached 300 s; the call times out after 10 s. */
export const DEFAULT_RESULT_TTL_SECONDS = 300
export const DEFAULT_AUTHORIZER_TIMEOUT_MS = 10000

export type AuthorizerTarget =
  | { readonly kind: 'binding'; readonly binding: string }
  | { readonly kind: 'url'; readonly url: string }

export interface CompiledRequestAuthorizer {
  readonly id: string
  readonly type: 'TOKEN' | 'REQUEST'
  readonly sources: readonly IdentitySource[]
  readonly target: AuthorizerTarget
  /** 0: no result cache. */
  readonly ttlSeconds: number
  readonly payloadVersion: '1.0' | '2.0'
  /** HTTP API 2.0 `enableSimpleResponses`: the answer is `{isAuthorized, context}`. */
  readonly simpleResponses: boolean
  /** TOKEN `identityValidationExpression`, full match. */
  readonly tokenPattern?: RegExp
  readonly timeoutMs: number
}

/** One problem, by the authorizer field it is about. */
export interface AuthorizerProblem {
  readonly field: keyof AuthorizerConfig
  readonly message: string
}

const WORKER_URI = /^worker:\/\/(.*)$/

/** `worker://BINDING`, or an https URL (http only to loopback with allowLoopbackUpstreams). */
export function parseAuthorizerTarget(
  uri: string,
  api: Pick<ApiConfig, 'allowLoopbackUpstreams'>
): Result<AuthorizerTarget, string> {
  const binding = WORKER_URI.exec(uri)?.[1]
  if (binding !== undefined) {
    return BINDING_NAME.test(binding)
      ? ok({ kind: 'binding', binding })
      : err('must be worker://BINDING with BINDING matching ^[A-Z][A-Z0-9_]{0,63}$')
  }
  const allowLoopback = api.allowLoopbackUpstreams === true
  const checked = checkUpstreamUrl(uri, { allowLoopback })
  if (!checked.ok) return checked
  // Credentials and policies travel on this call: plain http only to this machine.
  if (checked.value.protocol === 'http:' && checkUpstreamUrl(uri, { allowLoopback: false }).ok) {
    return err('must use https:// (http:// only for loopback with allowLoopbackUpstreams)')
  }
  return ok({ kind: 'url', url: checked.value.href })
}

function parseSources(
  authorizer: AuthorizerConfig,
  problems: AuthorizerProblem[]
): IdentitySource[] {
  const sources: IdentitySource[] = []
  for (const text of authorizer.identitySource ?? []) {
    const parsed = parseIdentitySource(text)
    if (parsed === undefined) {
      problems.push({ field: 'identitySource', message: `${JSON.stringify(text)} is not valid` })
    } else sources.push(parsed)
  }
  return sources
}

function checkSources(
  authorizer: AuthorizerConfig,
  sources: readonly IdentitySource[],
  ttlSeconds: number,
  problems: AuthorizerProblem[]
): void {
  if (authorizer.authorizerType === 'TOKEN') {
    if (sources.length !== 1 || sources[0]?.kind !== 'header') {
      problems.push({
        field: 'identitySource',
        message: 'a TOKEN authorizer needs exactly one header identity source',
      })
    }
  } else if (sources.length === 0 && ttlSeconds > 0) {
    // AWS: the cache is keyed by the identity sources, so caching needs at least one.
    problems.push({
      field: 'identitySource',
      message: 'a REQUEST authorizer needs at least one identity source unless its TTL is 0',
    })
  }
}

function tokenPattern(
  authorizer: AuthorizerConfig,
  problems: AuthorizerProblem[]
): RegExp | undefined {
  const expression = authorizer.identityValidationExpression
  if (expression === undefined) return undefined
  if (authorizer.authorizerType !== 'TOKEN') {
    problems.push({
      field: 'identityValidationExpression',
      message: 'applies to TOKEN authorizers only',
    })
    return undefined
  }
  const compiled = compileTokenPattern(expression)
  if (compiled.ok) return compiled.value
  problems.push({ field: 'identityValidationExpression', message: compiled.error })
  return undefined
}

function payloadVersion(
  authorizer: AuthorizerConfig,
  api: ApiConfig,
  problems: AuthorizerProblem[]
): '1.0' | '2.0' {
  // AWS: HTTP APIs' REQUEST authorizers default to 2.0; REST (and TOKEN) speak 1.0.
  const httpRequest = api.protocolType === 'HTTP' && authorizer.authorizerType === 'REQUEST'
  const version = authorizer.authorizerPayloadFormatVersion ?? (httpRequest ? '2.0' : '1.0')
  if (version === '2.0' && !httpRequest) {
    problems.push({
      field: 'authorizerPayloadFormatVersion',
      message: '2.0 is for REQUEST authorizers of HTTP APIs only',
    })
  }
  if (authorizer.enableSimpleResponses === true && version !== '2.0') {
    problems.push({
      field: 'enableSimpleResponses',
      message: 'requires authorizerPayloadFormatVersion 2.0',
    })
  }
  return version
}

/** Checks and compiles a REQUEST or TOKEN authorizer of `api`. */
export function compileRequestAuthorizer(
  authorizer: AuthorizerConfig,
  api: ApiConfig
): Result<CompiledRequestAuthorizer, AuthorizerProblem[]> {
  const { authorizerType: type } = authorizer
  if (type === 'JWT') {
    return err([{ field: 'authorizerType', message: 'JWT is not a request authorizer' }])
  }
  const problems: AuthorizerProblem[] = []
  const ttlSeconds = authorizer.authorizerResultTtlInSeconds ?? DEFAULT_RESULT_TTL_SECONDS
  const sources = parseSources(authorizer, problems)
  checkSources(authorizer, sources, ttlSeconds, problems)
  const pattern = tokenPattern(authorizer, problems)
  const version = payloadVersion(authorizer, api, problems)
  let target: AuthorizerTarget | undefined
  if (authorizer.authorizerUri === undefined) {
    problems.push({ field: 'authorizerUri', message: `is required for ${type} authorizers` })
  } else {
    const parsed = parseAuthorizerTarget(authorizer.authorizerUri, api)
    if (parsed.ok) target = parsed.value
    else problems.push({ field: 'authorizerUri', message: parsed.error })
  }
  if (target === undefined || problems.length > 0) return err(problems)
  return ok({
    id: authorizer.id,
    type,
    sources,
    target,
    ttlSeconds,
    payloadVersion: version,
    simpleResponses: authorizer.enableSimpleResponses === true,
    ...(pattern === undefined ? {} : { tokenPattern: pattern }),
    timeoutMs: authorizer.authorizerTimeoutInMillis ?? DEFAULT_AUTHORIZER_TIMEOUT_MS,
  })
}
