/**
 * Extra KV reads for the apigatewayv2 admin resources. Documents come back as parsed JSON
 * (`unknown`): callers validate them with `config/check.ts`, exactly as for a document written
 * directly with `wrangler kv`. Key layout stays in `config-store.ts` (KV_KEYS).
 */
import { KV_KEYS, listKeys, readRaw } from './config-store'

/** A stored document that is not JSON at all (written by hand); callers answer 500 for it. */
export class StoredDocumentError extends Error {
  readonly key: string

  constructor(key: string) {
    super(`stored config document ${key} is not valid JSON`)
    this.name = 'StoredDocumentError'
    this.key = key
  }
}

/** Parsed JSON of one document, or null when absent. */
export async function readJson(kv: KVNamespace, key: string): Promise<unknown> {
  const text = await readRaw(kv, key)
  if (text === null) return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new StoredDocumentError(key)
  }
}

/** The last path segment of every key under a prefix (ids / names), sorted. */
export async function listNames(kv: KVNamespace, prefix: string): Promise<string[]> {
  const keys = await listKeys(kv, prefix)
  return keys.map((k) => k.slice(prefix.length)).sort()
}

export const v2Queries = {
  apiIds: (kv: KVNamespace) => listNames(kv, KV_KEYS.apiPrefix),
  stageNames: (kv: KVNamespace, apiId: string) => listNames(kv, KV_KEYS.stagePrefix(apiId)),
  deploymentIds: (kv: KVNamespace, apiId: string) => listNames(kv, KV_KEYS.deploymentPrefix(apiId)),
  /** Lower-cased domain names (KV keys are lower-cased by `KV_KEYS.domain`). */
  domainNames: (kv: KVNamespace) => listNames(kv, KV_KEYS.domainPrefix),
  api: (kv: KVNamespace, apiId: string) => readJson(kv, KV_KEYS.api(apiId)),
  stage: (kv: KVNamespace, apiId: string, stageName: string) =>
    readJson(kv, KV_KEYS.stage(apiId, stageName)),
  deployment: (kv: KVNamespace, apiId: string, deploymentId: string) =>
    readJson(kv, KV_KEYS.deployment(apiId, deploymentId)),
  domain: (kv: KVNamespace, domainName: string) => readJson(kv, KV_KEYS.domain(domainName)),
}
