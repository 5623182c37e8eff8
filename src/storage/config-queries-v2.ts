/**
 * Extra KV reads for the apigatewayv2 admin resources. Documents come back as parsed JSON
 * (`unknown`): callers validate them with `config/check.ts`, exactly as for a document written
 * directly with `wrangler kv`. Key layout stays in `config-store.ts` (KV_KEYS); reading and
 * listing are the v1 helpers of `config-queries.ts` (a non-JSON document throws
 * `StoredConfigError`, which the admin surface answers 500).
 */
import {
  listApiIds,
  listDeploymentIds,
  listNames,
  listStageNames,
  readJson,
} from './config-queries'
import { KV_KEYS } from './config-store'

export const v2Queries = {
  apiIds: listApiIds,
  stageNames: listStageNames,
  deploymentIds: listDeploymentIds,
  /** Lower-cased domain names (KV keys are lower-cased by `KV_KEYS.domain`). */
  domainNames: (kv: KVNamespace) => listNames(kv, KV_KEYS.domainPrefix),
  api: (kv: KVNamespace, apiId: string) => readJson(kv, KV_KEYS.api(apiId)),
  stage: (kv: KVNamespace, apiId: string, stageName: string) =>
    readJson(kv, KV_KEYS.stage(apiId, stageName)),
  deployment: (kv: KVNamespace, apiId: string, deploymentId: string) =>
    readJson(kv, KV_KEYS.deployment(apiId, deploymentId)),
  domain: (kv: KVNamespace, domainName: string) => readJson(kv, KV_KEYS.domain(domainName)),
}
