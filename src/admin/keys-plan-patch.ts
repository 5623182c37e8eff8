/**
 * UpdateUsagePlan patch operations, as AWS documents them: `/name`, `/description`,
 * `/throttle/rateLimit|burstLimit`, `/quota/limit|period|offset`, `remove /throttle|/quota`,
 * `add|remove /apiStages` (value `apiId:stage`) and per-method throttles at
 * `/apiStages/{apiId}:{stage}/throttle/{resourcePath}/{method}[/rateLimit|/burstLimit]`.
 * Operations edit a loose draft; the result is validated as a whole (keys-plan-input.ts).
 */
import type { UsagePlanRecord } from '../storage/usage-plan-types'
import { badRequest } from './errors'
import type { JsonObject } from './input'
import { methodThrottles, quotaInput, throttleInput } from './keys-plan-input'
import {
  invalidPatch,
  parsePatchOperations,
  pathSegments,
  requireValue,
  type PatchOperation,
} from './patch'

type Loose = Record<string, unknown>

interface DraftStage {
  apiId: string
  stage: string
  throttle?: Map<string, Loose>
}

interface Draft {
  name: string
  description?: string
  throttle?: Loose
  quota?: Loose
  stages: DraftStage[]
}

function numberValue(op: PatchOperation): number {
  const value = requireValue(op)
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n)) {
    return badRequest(`Value for '${op.path}' must be a number`)
  }
  return n
}

function stageName(op: PatchOperation, value: string): [string, string] {
  const at = value.indexOf(':')
  if (at <= 0 || at === value.length - 1) {
    return badRequest(`Value for '${op.path}' must be apiId:stage`)
  }
  return [value.slice(0, at), value.slice(at + 1)]
}

/** `["/pets", "GET"]` or `["pets", "GET"]` → `/pets/GET`. */
function methodKey(parts: readonly string[]): string {
  const joined = parts.join('/')
  return joined.startsWith('/') ? joined : `/${joined}`
}

function applyStageThrottle(stages: DraftStage[], op: PatchOperation, segs: string[]): void {
  const [, name = '', section, ...rest] = segs
  const [apiId, stage] = stageName(op, name)
  const entry = stages.find((s) => s.apiId === apiId && s.stage === stage)
  if (entry === undefined) return badRequest(`API stage ${apiId}:${stage} is not in this plan`)
  if (section !== 'throttle') return invalidPatch(op)
  const overrides = entry.throttle ?? new Map<string, Loose>()
  if (op.op === 'remove') {
    if (rest.length === 0) overrides.clear()
    else overrides.delete(methodKey(rest))
  } else {
    const field = rest[rest.length - 1]
    if ((op.op !== 'replace' && op.op !== 'add') || rest.length < 2) return invalidPatch(op)
    if (field !== 'rateLimit' && field !== 'burstLimit') return invalidPatch(op)
    const key = methodKey(rest.slice(0, -1))
    overrides.set(key, { ...(overrides.get(key) ?? {}), [field]: numberValue(op) })
  }
  if (overrides.size === 0) delete entry.throttle
  else entry.throttle = overrides
}

/** The plan after the body's patch operations, validated (API stage existence is not checked). */
export function applyPlanPatch(plan: UsagePlanRecord, body: JsonObject): UsagePlanRecord {
  const draft: Draft = {
    name: plan.name,
    stages: plan.apiStages.map((s) => {
      const out: DraftStage = { apiId: s.apiId, stage: s.stage }
      if (s.throttle !== undefined)
        out.throttle = new Map(Object.entries(s.throttle).map(([k, v]) => [k, { ...v }]))
      return out
    }),
  }
  if (plan.description !== undefined) draft.description = plan.description
  if (plan.throttle !== undefined) draft.throttle = { ...plan.throttle }
  if (plan.quota !== undefined) draft.quota = { ...plan.quota }
  for (const op of parsePatchOperations(body)) applyOne(draft, op)
  return validated(plan, draft)
}

const LIMIT_FIELDS = ['rateLimit', 'burstLimit', 'limit', 'period', 'offset']

function applyOne(draft: Draft, op: PatchOperation): void {
  const segs = pathSegments(op.path)
  const [head, second] = segs
  if (head === 'name' && segs.length === 1 && op.op === 'replace') {
    const value = requireValue(op)
    if (value === '') return badRequest("'name' must not be empty")
    draft.name = value
  } else if (head === 'description' && segs.length === 1 && op.op === 'replace') {
    const value = requireValue(op)
    if (value === '') delete draft.description
    else draft.description = value
  } else if ((head === 'throttle' || head === 'quota') && segs.length === 1 && op.op === 'remove') {
    if (head === 'throttle') delete draft.throttle
    else delete draft.quota
  } else if (
    (head === 'throttle' || head === 'quota') &&
    segs.length === 2 &&
    op.op === 'replace'
  ) {
    if (second === undefined || !LIMIT_FIELDS.includes(second)) return invalidPatch(op)
    const value = second === 'period' ? requireValue(op) : numberValue(op)
    draft[head] = { ...(draft[head] ?? {}), [second]: value }
  } else if (head === 'apiStages' && segs.length === 1 && (op.op === 'add' || op.op === 'remove')) {
    const [apiId, stage] = stageName(op, requireValue(op))
    const at = draft.stages.findIndex((s) => s.apiId === apiId && s.stage === stage)
    if (op.op === 'add' && at < 0) draft.stages.push({ apiId, stage })
    else if (op.op === 'remove' && at >= 0) draft.stages.splice(at, 1)
    else if (op.op === 'remove')
      return badRequest(`API stage ${apiId}:${stage} is not in this plan`)
  } else if (head === 'apiStages' && segs.length >= 3) {
    applyStageThrottle(draft.stages, op, segs)
  } else {
    return invalidPatch(op)
  }
}

function validated(plan: UsagePlanRecord, draft: Draft): UsagePlanRecord {
  const next: UsagePlanRecord = {
    id: plan.id,
    name: draft.name,
    apiStages: draft.stages.map((s, i) => {
      const out = { apiId: s.apiId, stage: s.stage }
      if (s.throttle === undefined) return out
      const where = `apiStages[${String(i)}].throttle`
      return { ...out, throttle: methodThrottles(Object.fromEntries(s.throttle), where) }
    }),
    createdDate: plan.createdDate,
    lastUpdatedDate: plan.lastUpdatedDate,
  }
  if (draft.description !== undefined) next.description = draft.description
  if (draft.throttle !== undefined) next.throttle = throttleInput(draft.throttle, 'throttle')
  if (draft.quota !== undefined) next.quota = quotaInput(draft.quota)
  if (plan.tags !== undefined) next.tags = plan.tags
  return next
}
