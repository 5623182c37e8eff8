/**
 * Host + canonical path → (API, stage, path below the stage), DESIGN §3: `{apiId}.{domain}` with
 * the stage as first path segment (HTTP APIs' `$default` stage serves at the root), or a custom
 * domain name whose base-path mapping names API and stage.
 */
import type { ConfigLoader, StageLookup } from '../config/loader'
import type { ProtocolType } from '../config/types'
import { matchApiMapping, domainLookupNames, splitStage, type HostTarget } from './host'

const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/
const DEFAULT_STAGE = '$default'

export type StageResolution =
  | { kind: 'found'; lookup: Extract<StageLookup, { kind: 'ready' }>; path: string }
  | { kind: 'broken'; apiId: string; reason: string }
  /** No stage matched: answer by the API's protocol (unknown when the API does not exist). */
  | { kind: 'no-stage'; protocol: ProtocolType | undefined }
  /** A custom domain we do not serve, or no base-path mapping for this path. */
  | { kind: 'no-mapping' }

type WaitUntil = (p: Promise<unknown>) => void

function asResolution(
  apiId: string,
  lookup: StageLookup,
  path: string
): StageResolution | undefined {
  if (lookup.kind === 'ready') return { kind: 'found', lookup, path }
  if (lookup.kind === 'broken') return { kind: 'broken', apiId, reason: lookup.reason }
  return undefined
}

async function resolveExecuteApi(
  loader: ConfigLoader,
  apiId: string,
  path: string,
  waitUntil: WaitUntil
): Promise<StageResolution> {
  const split = splitStage(path)
  if (split !== undefined && STAGE_NAME.test(split.stage)) {
    const named = asResolution(apiId, await loader.stage(apiId, split.stage, waitUntil), split.rest)
    if (named !== undefined) return named
  }
  // AWS HTTP APIs: the `$default` stage is served from the base of the API's URL.
  const fallback = asResolution(apiId, await loader.stage(apiId, DEFAULT_STAGE, waitUntil), path)
  if (fallback !== undefined) return fallback
  return { kind: 'no-stage', protocol: await loader.protocol(apiId, waitUntil) }
}

async function resolveCustomDomain(
  loader: ConfigLoader,
  hostname: string,
  path: string,
  waitUntil: WaitUntil
): Promise<StageResolution> {
  for (const name of domainLookupNames(hostname)) {
    const domain = await loader.domain(name, waitUntil)
    if (domain.kind !== 'ready') continue
    const mapped = matchApiMapping(domain.domain, path)
    if (mapped === undefined) return { kind: 'no-mapping' }
    const { apiId, stage } = mapped.mapping
    const lookup = await loader.stage(apiId, stage, waitUntil)
    const found = asResolution(apiId, lookup, mapped.remainingPath)
    return found ?? { kind: 'no-mapping' }
  }
  return { kind: 'no-mapping' }
}

export function resolveStage(
  loader: ConfigLoader,
  target: Extract<HostTarget, { kind: 'execute-api' | 'custom' }>,
  path: string,
  waitUntil: WaitUntil
): Promise<StageResolution> {
  return target.kind === 'execute-api'
    ? resolveExecuteApi(loader, target.apiId, path, waitUntil)
    : resolveCustomDomain(loader, target.hostname, path, waitUntil)
}
