/**
 * AWS resource policies (IAM JSON) → Portico's IP lists (`ResourcePolicyConfig`), and back.
 * Only what Portico enforces exactly is accepted: statements on `execute-api:Invoke` for every
 * principal over the whole API, unconditional or conditioned on `aws:SourceIp` with
 * `IpAddress` / `NotIpAddress`. AWS allows a call when some Allow matches and no Deny does; the
 * mapping keeps that meaning or refuses the policy — a Deny is never dropped.
 */
import type { ResourcePolicyConfig } from '../config/types'
import { err, ok, type Result } from '../result'
import { child, isRecord } from './json'
import type { ImportError } from './types'

const EVERYONE = ['0.0.0.0/0', '::/0']
const INVOKE_ACTIONS = new Set(['execute-api:invoke', 'execute-api:*', '*'])
/** The whole API: `execute-api:/*`, `*`, or an execute-api ARN ending in `/*` segments. */
const WHOLE_API = /^(\*|execute-api:(\/\*)+|arn:aws[a-z-]*:execute-api:[^:]+:[^:]+:[^/]+(\/\*)+)$/i

type IpCondition = { operator: 'IpAddress' | 'NotIpAddress'; ips: string[] } | undefined

interface Statement {
  effect: 'Allow' | 'Deny'
  condition: IpCondition
}

export interface PolicyImport {
  policy: ResourcePolicyConfig | undefined
  warnings: ImportError[]
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value]
}

function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true
  if (!isRecord(principal)) return false
  const keys = Object.keys(principal)
  return keys.length === 1 && keys[0] === 'AWS' && list(principal.AWS).every((p) => p === '*')
}

function readCondition(raw: unknown, at: string, errors: ImportError[]): IpCondition {
  if (raw === undefined) return undefined
  const entries = isRecord(raw) ? Object.entries(raw) : []
  const [entry] = entries
  if (entries.length !== 1 || entry === undefined) {
    errors.push({ path: at, message: 'Only one aws:SourceIp condition per statement is supported' })
    return undefined
  }
  const [operator, body] = entry
  const keys = isRecord(body) ? Object.keys(body) : []
  const ips = isRecord(body) ? list(body['aws:SourceIp'] ?? body['aws:sourceip']) : []
  if (
    (operator !== 'IpAddress' && operator !== 'NotIpAddress') ||
    keys.length !== 1 ||
    keys[0]?.toLowerCase() !== 'aws:sourceip' ||
    ips.length === 0 ||
    !ips.every((ip): ip is string => typeof ip === 'string')
  ) {
    errors.push({
      path: child(at, operator),
      message: `Condition ${operator} ${keys.join(', ')} cannot be enforced: only IpAddress / NotIpAddress on aws:SourceIp are supported`,
    })
    return undefined
  }
  return { operator, ips }
}

function readStatement(raw: unknown, at: string, errors: ImportError[]): Statement | undefined {
  if (!isRecord(raw)) {
    errors.push({ path: at, message: 'A policy statement must be an object' })
    return undefined
  }
  const before = errors.length
  const effect = raw.Effect
  if (effect !== 'Allow' && effect !== 'Deny')
    errors.push({ path: child(at, 'Effect'), message: 'Effect must be Allow or Deny' })
  if (
    raw.NotPrincipal !== undefined ||
    raw.NotAction !== undefined ||
    raw.NotResource !== undefined
  )
    errors.push({ path: at, message: 'NotPrincipal, NotAction and NotResource are not supported' })
  if (!isEveryone(raw.Principal))
    errors.push({
      path: child(at, 'Principal'),
      message: 'Only Principal "*" can be enforced (Portico has no IAM principals)',
    })
  if (!list(raw.Action).every((a) => typeof a === 'string' && INVOKE_ACTIONS.has(a.toLowerCase())))
    errors.push({ path: child(at, 'Action'), message: 'Only execute-api:Invoke is supported' })
  if (!list(raw.Resource).every((r) => typeof r === 'string' && WHOLE_API.test(r)))
    errors.push({
      path: child(at, 'Resource'),
      message: 'Only whole-API resources (execute-api:/*) are supported',
    })
  const condition = readCondition(raw.Condition, child(at, 'Condition'), errors)
  if (errors.length > before || (effect !== 'Allow' && effect !== 'Deny')) return undefined
  return { effect, condition }
}

/** Allowed set = union of the Allows; denied set = union of the Denies (AWS evaluation). */
function combine(statements: Statement[], at: string): Result<PolicyImport, ImportError[]> {
  const warnings: ImportError[] = []
  const deny: string[] = []
  const mustBeIn: string[][] = []
  for (const s of statements.filter((x) => x.effect === 'Deny')) {
    if (s.condition === undefined) deny.push(...EVERYONE)
    else if (s.condition.operator === 'IpAddress') deny.push(...s.condition.ips)
    else mustBeIn.push(s.condition.ips)
  }
  const allows = statements.filter((x) => x.effect === 'Allow')
  const allowAll = allows.some((s) => s.condition === undefined)
  if (allowAll) {
    warnings.push({
      path: at,
      message: 'Allow for every principal needs no enforcement (the API is public)',
    })
  } else if (allows.length === 0) {
    warnings.push({
      path: at,
      message: 'No statement allows a call: every call is denied (AWS implicit deny)',
    })
    deny.push(...EVERYONE)
  } else if (allows.every((s) => s.condition?.operator === 'IpAddress')) {
    mustBeIn.push(allows.flatMap((s) => s.condition?.ips ?? []))
  } else if (allows.length === 1 && allows[0]?.condition?.operator === 'NotIpAddress') {
    deny.push(...allows[0].condition.ips)
  } else {
    return err([
      {
        path: at,
        message: 'Allow statements mixing IpAddress and NotIpAddress cannot be enforced',
      },
    ])
  }
  const [first, ...others] = mustBeIn
  const sameList = (l: string[]): boolean =>
    first !== undefined && l.length === first.length && l.every((x) => first.includes(x))
  if (!others.every(sameList)) {
    return err([
      {
        path: at,
        message: 'Several different aws:SourceIp allow lists (an intersection) cannot be enforced',
      },
    ])
  }
  const policy: ResourcePolicyConfig = {}
  if (first !== undefined) policy.sourceIpAllow = [...new Set(first)]
  if (deny.length > 0) policy.sourceIpDeny = [...new Set(deny)]
  return ok({ policy: Object.keys(policy).length > 0 ? policy : undefined, warnings })
}

/** Parses an IAM policy (object or JSON text); `at` is its JSON Pointer for messages. */
export function importIamPolicy(raw: unknown, at: string): Result<PolicyImport, ImportError[]> {
  let doc = raw
  if (typeof raw === 'string') {
    try {
      doc = JSON.parse(raw)
    } catch {
      return err([{ path: at, message: 'The policy is not valid JSON' }])
    }
  }
  if (!isRecord(doc) || doc.Statement === undefined) {
    return err([{ path: at, message: 'A policy must be an object with a Statement' }])
  }
  const errors: ImportError[] = []
  const statements: Statement[] = []
  const raws = list(doc.Statement)
  raws.forEach((s, i) => {
    const read = readStatement(
      s,
      Array.isArray(doc.Statement) ? child(at, 'Statement', i) : child(at, 'Statement'),
      errors
    )
    if (read !== undefined) statements.push(read)
  })
  if (errors.length > 0) return err(errors)
  return combine(statements, at)
}

/** `ResourcePolicyConfig` → the IAM policy AWS would hold for it (import gives it back). */
export function exportIamPolicy(policy: ResourcePolicyConfig): Record<string, unknown> {
  const base = {
    Principal: '*',
    Action: 'execute-api:Invoke',
    Resource: 'execute-api:/*',
  }
  const deniesEveryone = EVERYONE.every((cidr) => policy.sourceIpDeny?.includes(cidr) === true)
  const statements: Record<string, unknown>[] = []
  // Denying everyone needs no Allow (and import reads "no Allow" as exactly that).
  if (!deniesEveryone || policy.sourceIpAllow !== undefined) {
    statements.push({
      Effect: 'Allow',
      ...base,
      ...(policy.sourceIpAllow === undefined
        ? {}
        : { Condition: { IpAddress: { 'aws:SourceIp': [...policy.sourceIpAllow] } } }),
    })
  }
  if (policy.sourceIpDeny !== undefined) {
    statements.push({
      Effect: 'Deny',
      ...base,
      Condition: { IpAddress: { 'aws:SourceIp': [...policy.sourceIpDeny] } },
    })
  }
  return { Version: '2012-10-17', Statement: statements }
}
