/**
 * PutRestApi `mode=merge` for authorizers, models and request validators: imported entries win
 * by name (AWS merge). An imported authorizer or validator that replaces an existing one keeps
 * the existing id, so methods the import did not touch keep pointing at it; the imported methods
 * are repointed. CORS and the resource policy are replaced when the import has them.
 */
import type { ApiConfig, RouteConfig } from '../config/types'

interface Named {
  id: string
  name: string
}

/** Merged list and the imported id → kept id renames. */
function mergeByName<T extends Named>(
  existing: readonly T[] | undefined,
  imported: readonly T[] | undefined
): { merged: T[] | undefined; renamed: Map<string, string> } {
  const renamed = new Map<string, string>()
  const byName = new Map((existing ?? []).map((e) => [e.name, e]))
  const taken = new Set((existing ?? []).map((e) => e.id))
  const merged = [...(existing ?? [])]
  for (const entry of imported ?? []) {
    const old = byName.get(entry.name)
    if (old !== undefined) {
      renamed.set(entry.id, old.id)
      merged[merged.indexOf(old)] = { ...entry, id: old.id }
      continue
    }
    let id = entry.id
    for (let n = 2; taken.has(id) && n < 100_000; n++) id = `${entry.id.slice(0, 58)}-${String(n)}`
    taken.add(id)
    if (id !== entry.id) renamed.set(entry.id, id)
    merged.push({ ...entry, id })
  }
  return { merged: merged.length > 0 ? merged : undefined, renamed }
}

/** Sets the merged access fields on `merged`; `importedRouteKeys` names the imported routes. */
export function mergeAccess(
  merged: ApiConfig,
  existing: ApiConfig,
  imported: ApiConfig,
  importedRouteKeys: ReadonlySet<string>
): void {
  const authorizers = mergeByName(existing.authorizers, imported.authorizers)
  const validators = mergeByName(existing.requestValidators, imported.requestValidators)
  const models = mergeByName(existing.models, imported.models)
  const repoint = (route: RouteConfig): RouteConfig => {
    if (!importedRouteKeys.has(route.routeKey)) return route
    const next = { ...route }
    const a =
      next.authorizerId === undefined ? undefined : authorizers.renamed.get(next.authorizerId)
    if (a !== undefined) next.authorizerId = a
    const v =
      next.requestValidatorId === undefined
        ? undefined
        : validators.renamed.get(next.requestValidatorId)
    if (v !== undefined) next.requestValidatorId = v
    return next
  }
  merged.routes = merged.routes.map(repoint)
  for (const [key, value] of [
    ['authorizers', authorizers.merged],
    ['requestValidators', validators.merged],
    ['models', models.merged],
  ] as const) {
    if (value === undefined) Reflect.deleteProperty(merged, key)
    else Object.assign(merged, { [key]: value })
  }
  if (imported.corsConfiguration !== undefined)
    merged.corsConfiguration = imported.corsConfiguration
  if (imported.resourcePolicy !== undefined) merged.resourcePolicy = imported.resourcePolicy
}
