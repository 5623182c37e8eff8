/**
 * The only module that knows the KV key layout of the route config (docs/storage-schema.md).
 * Documents are stored as JSON text; this module does not validate them — callers validate on
 * write (admin) and on load (edge), so a document written directly with `wrangler kv` is
 * treated exactly like one written through Portico.
 */
import type { ApiConfig, DeploymentConfig, DomainNameConfig, StageConfig } from '../config/types'

export const KV_KEYS = {
  api: (apiId: string) => `api/${apiId}`,
  apiPrefix: 'api/',
  deployment: (apiId: string, deploymentId: string) => `deployment/${apiId}/${deploymentId}`,
  deploymentPrefix: (apiId: string) => `deployment/${apiId}/`,
  stage: (apiId: string, stageName: string) => `stage/${apiId}/${stageName}`,
  stagePrefix: (apiId: string) => `stage/${apiId}/`,
  domain: (domainName: string) => `domain/${domainName.toLowerCase()}`,
  domainPrefix: 'domain/',
} as const

/** Raw text of one document, or null when absent. */
export async function readRaw(kv: KVNamespace, key: string): Promise<string | null> {
  return kv.get(key, 'text')
}

async function writeJson(kv: KVNamespace, key: string, doc: unknown): Promise<void> {
  await kv.put(key, JSON.stringify(doc))
}

/** All keys under a prefix (follows KV list cursors). */
export async function listKeys(kv: KVNamespace, prefix: string): Promise<string[]> {
  const names: string[] = []
  let cursor: string | undefined
  for (;;) {
    const page = await kv.list(cursor === undefined ? { prefix } : { prefix, cursor })
    for (const key of page.keys) names.push(key.name)
    if (page.list_complete) return names
    cursor = page.cursor
  }
}

export const configStore = {
  putApi: (kv: KVNamespace, api: ApiConfig) => writeJson(kv, KV_KEYS.api(api.id), api),
  putDeployment: (kv: KVNamespace, d: DeploymentConfig) =>
    writeJson(kv, KV_KEYS.deployment(d.apiId, d.id), d),
  putStage: (kv: KVNamespace, s: StageConfig) =>
    writeJson(kv, KV_KEYS.stage(s.apiId, s.stageName), s),
  putDomain: (kv: KVNamespace, d: DomainNameConfig) =>
    writeJson(kv, KV_KEYS.domain(d.domainName), d),
  deleteKey: (kv: KVNamespace, key: string) => kv.delete(key),
}
