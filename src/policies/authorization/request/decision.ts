/**
 * What a request authorizer answered, parsed once (and cached), then evaluated per request
 * against the request's execute-api ARN. Accepts AWS's two output shapes: the IAM policy
 * (`principalId`, `policyDocument`, `context`, `usageIdentifierKey`) and the HTTP API simple
 * response (`isAuthorized`, `context`), plus AWS's "Unauthorized" error (Lambda
 * `callback('Unauthorized')`).
 */
import { err, ok, type Result } from '../../../result'
import { wildcardMatch } from './arn'

/** `context` values as AWS forwards them: strings, numbers and booleans only. */
export type AuthorizerContext = Readonly<Record<string, string | number | boolean>>

interface Statement {
  readonly allow: boolean
  /** Resource patterns; empty when the statement cannot be applied as written (see below). */
  readonly resources: readonly string[]
  /** NotAction/NotResource/Condition, a missing Action or Resource: not evaluated by Portico. */
  readonly unsupported: boolean
}

export type AuthorizerDecision =
  | {
      readonly kind: 'policy'
      readonly principalId?: string
      readonly statements: readonly Statement[]
      readonly context?: AuthorizerContext
      readonly usageIdentifierKey?: string
    }
  | {
      readonly kind: 'simple'
      readonly isAuthorized: boolean
      readonly context?: AuthorizerContext
    }
  | { readonly kind: 'unauthorized' }

/** Outcome for one request: allowed, explicitly denied, or no Allow matched. */
export type Verdict = 'allow' | 'deny' | 'no-allow'

const UNAUTHORIZED = 'Unauthorized'

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value]
}

/** AWS's Unauthorized answer: the bare string, or as `message` / Lambda `errorMessage`. */
function isUnauthorizedMarker(value: unknown): boolean {
  if (value === UNAUTHORIZED) return true
  return isRecord(value) && (value.message === UNAUTHORIZED || value.errorMessage === UNAUTHORIZED)
}

/**
 * Keeps own keys with string, number (finite) or boolean values (AWS drops the rest). Built with
 * `Object.fromEntries`, so a `__proto__` key stays a plain own property.
 */
export function sanitizeContext(value: unknown): AuthorizerContext | undefined {
  if (!isRecord(value)) return undefined
  const entries = Object.entries(value).filter(
    ([, v]) =>
      typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && isFinite(v))
  )
  return Object.fromEntries(entries) as AuthorizerContext
}

/** AWS: the statement must allow `execute-api:Invoke` (wildcards allowed, case-insensitive). */
function coversInvoke(action: unknown): boolean {
  return listOf(action).some(
    (a) => typeof a === 'string' && wildcardMatch(a.toLowerCase(), 'execute-api:invoke')
  )
}

function parseStatement(value: unknown): Result<Statement | undefined, string> {
  if (!isRecord(value)) return err('a policy statement is not an object')
  const effect = typeof value.Effect === 'string' ? value.Effect.toLowerCase() : ''
  if (effect !== 'allow' && effect !== 'deny') return err('a statement Effect is not Allow or Deny')
  const resources = listOf(value.Resource)
  if (!resources.every((r) => typeof r === 'string')) return err('a Resource is not a string')
  const unsupported =
    'NotAction' in value ||
    'NotResource' in value ||
    'Condition' in value ||
    value.Action === undefined ||
    resources.length === 0
  // A statement about other actions does not apply to this request at all.
  if (!unsupported && !coversInvoke(value.Action)) return ok(undefined)
  return ok({ allow: effect === 'allow', resources, unsupported })
}

function parsePolicy(value: Record<string, unknown>): Result<AuthorizerDecision, string> {
  const document = value.policyDocument
  if (!isRecord(document)) return err('policyDocument is missing or not an object')
  const statements: Statement[] = []
  for (const raw of listOf(document.Statement)) {
    const parsed = parseStatement(raw)
    if (!parsed.ok) return parsed
    if (parsed.value !== undefined) statements.push(parsed.value)
  }
  const context = sanitizeContext(value.context)
  const { principalId, usageIdentifierKey } = value
  return ok({
    kind: 'policy',
    statements,
    ...(typeof principalId === 'string' ? { principalId } : {}),
    ...(context === undefined ? {} : { context }),
    ...(typeof usageIdentifierKey === 'string' && usageIdentifierKey !== ''
      ? { usageIdentifierKey }
      : {}),
  })
}

/** Parses the authorizer's JSON answer; `simple`: HTTP API 2.0 with `enableSimpleResponses`. */
export function parseAuthorizerOutput(
  value: unknown,
  simple: boolean
): Result<AuthorizerDecision, string> {
  if (isUnauthorizedMarker(value)) return ok({ kind: 'unauthorized' })
  if (!isRecord(value)) return err('the answer is not a JSON object')
  if (simple) {
    if (typeof value.isAuthorized !== 'boolean') return err('isAuthorized is not a boolean')
    const context = sanitizeContext(value.context)
    return ok({
      kind: 'simple',
      isAuthorized: value.isAuthorized,
      ...(context === undefined ? {} : { context }),
    })
  }
  return parsePolicy(value)
}

/**
 * IAM evaluation for one ARN: an explicit Deny wins, then any Allow, else no access. A statement
 * Portico cannot evaluate as written counts against the caller: as a Deny it applies, as an Allow
 * it does not (fail closed).
 */
export function evaluate(decision: AuthorizerDecision, arn: string): Verdict {
  if (decision.kind === 'unauthorized') return 'no-allow'
  if (decision.kind === 'simple') return decision.isAuthorized ? 'allow' : 'no-allow'
  let allowed = false
  for (const statement of decision.statements) {
    const matches = statement.unsupported || statement.resources.some((r) => wildcardMatch(r, arn))
    if (!matches) continue
    if (!statement.allow) return 'deny'
    if (!statement.unsupported) allowed = true
  }
  return allowed ? 'allow' : 'no-allow'
}
