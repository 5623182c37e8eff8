/**
 * Reads of the route config for the admin REST API (apigateway v1). The key layout stays in
 * `config-store.ts`; documents read here are checked with `config/check.ts` exactly like the edge
 * checks them, because a user may have written them by hand with `wrangler kv`.
 */
import { checkApiConfig, checkStageConfig } from '../config/check'
import type { ConfigIssue } from '../config/check'
import type { ApiConfig, DeploymentConfig, StageConfig } from '../config/types'
import { KV_KEYS, configStore, listKeys, readRaw } from './config-store'

/** A stored document that does not parse or does not pass the config checks. */
export class StoredConfigError extends Error {
  readonly key: string
  readonly issues: readonly ConfigIssue[]

  constructor(key: string, issues: readonly ConfigIssue[]) {
    super(`stored config document ${key} is invalid`)
    this.name = 'StoredConfigError'
    this.key = key
    this.issues = issues
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Parsed JSON of one document, or null when absent. Throws `StoredConfigError` for non-JSON. */
export async function readJson(kv: KVNamespace, key: string): Promise<unknown> {
  const text = await readRaw(kv, key)
  if (text === null) return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new StoredConfigError(key, [{ path: '', message: 'not valid JSON' }])
  }
}

/** The last path segment of every key under a prefix (ids / names), sorted. */
export async function listNames(kv: KVNamespace, prefix: string): Promise<string[]> {
  return (await listKeys(kv, prefix)).map((k) => k.slice(prefix.length)).sort()
}

/** The API, or null when absent. Throws `StoredConfigError` for a broken document. */
export async function loadApi(kv: KVNamespace, apiId: string): Promise<ApiConfig | null> {
  const key = KV_KEYS.api(apiId)
  const doc = await readJson(kv, key)
  if (doc === null) return null
  const checked = checkApiConfig(doc)
  if (!checked.ok) throw new StoredConfigError(key, checked.error)
  return checked.value
}

export async function loadStage(
  kv: KVNamespace,
  apiId: string,
  stageName: string
): Promise<StageConfig | null> {
  const key = KV_KEYS.stage(apiId, stageName)
  const doc = await readJson(kv, key)
  if (doc === null) return null
  const checked = checkStageConfig(doc)
  if (!checked.ok) throw new StoredConfigError(key, checked.error)
  return checked.value
}

export async function loadDeployment(
  kv: KVNamespace,
  apiId: string,
  deploymentId: string
): Promise<DeploymentConfig | null> {
  const key = KV_KEYS.deployment(apiId, deploymentId)
  const doc = await readJson(kv, key)
  if (doc === null) return null
  const bad = (message: string) => new StoredConfigError(key, [{ path: '', message }])
  if (!isRecord(doc)) throw bad('expected an object')
  const { id, createdDate, description, api } = doc
  if (doc.schemaVersion !== 1 || typeof id !== 'string' || typeof createdDate !== 'string') {
    throw bad('schemaVersion, id and createdDate are required')
  }
  if (description !== undefined && typeof description !== 'string') {
    throw bad('description must be a string')
  }
  const checked = checkApiConfig(api)
  if (!checked.ok) {
    throw new StoredConfigError(
      key,
      checked.error.map((i) => ({ path: `/api${i.path}`, message: i.message }))
    )
  }
  const deployment: DeploymentConfig = {
    schemaVersion: 1,
    id,
    apiId,
    createdDate,
    api: checked.value,
  }
  if (description !== undefined) deployment.description = description
  return deployment
}

/** Every API id (all protocol types share the `api/` prefix), sorted. */
export function listApiIds(kv: KVNamespace): Promise<string[]> {
  return listNames(kv, KV_KEYS.apiPrefix)
}

export function listStageNames(kv: KVNamespace, apiId: string): Promise<string[]> {
  return listNames(kv, KV_KEYS.stagePrefix(apiId))
}

export function listDeploymentIds(kv: KVNamespace, apiId: string): Promise<string[]> {
  return listNames(kv, KV_KEYS.deploymentPrefix(apiId))
}

/** All stages of an API, by name. */
export async function loadStages(kv: KVNamespace, apiId: string): Promise<StageConfig[]> {
  const stages: StageConfig[] = []
  for (const name of await listStageNames(kv, apiId)) {
    const stage = await loadStage(kv, apiId, name)
    if (stage !== null) stages.push(stage)
  }
  return stages
}

/**
 * Deletes an API with its stages and deployments. Stages go first so that the edge stops
 * serving before the documents they point at disappear.
 */
export async function deleteApiTree(kv: KVNamespace, apiId: string): Promise<void> {
  for (const key of await listKeys(kv, KV_KEYS.stagePrefix(apiId))) {
    await configStore.deleteKey(kv, key)
  }
  for (const key of await listKeys(kv, KV_KEYS.deploymentPrefix(apiId))) {
    await configStore.deleteKey(kv, key)
  }
  await configStore.deleteKey(kv, KV_KEYS.api(apiId))
}
