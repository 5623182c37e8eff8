/**
 * Loads route config from KV for the edge: stage → deployment → compiled pipelines, plus custom
 * domains and API protocol lookups. Everything is re-validated on load (a user may write KV
 * directly); a bad or half-written document never replaces the last good one of its kind — the
 * reason is logged and the previous compiled stage keeps serving. With no good version at all,
 * the stage answers 500 API_CONFIGURATION_ERROR.
 */
import { compileVariant, type CompiledStage } from '../pipeline/build'
import { err, type Result } from '../result'
import { KV_KEYS, readRaw } from '../storage/config-store'
import type { DeploymentConfig, DomainNameConfig, ProtocolType, StageConfig } from './types'
import { DocCache } from './doc-cache'
import { describeIssues, parseConfigText, type ConfigDocuments, type ConfigKind } from './validate'

export type StageLookup =
  | { kind: 'missing' }
  | { kind: 'ready'; compiled: CompiledStage; text: string }
  | { kind: 'broken'; reason: string }

export type DomainLookup = { kind: 'missing' } | { kind: 'ready'; domain: DomainNameConfig }

const DEFAULT_TTL_SECONDS = 5
const MAX_STAGES = 2000
const MAX_DEPLOYMENTS = 128

function logConfigProblem(key: string, reason: string): void {
  console.error(JSON.stringify({ level: 'error', event: 'config_load_failed', key, reason }))
}

/** Keep the last good stage when a new document cannot be served (DESIGN §2). */
function keepOrBreak(key: string, previous: StageLookup | undefined, reason: string): StageLookup {
  logConfigProblem(key, reason)
  return previous?.kind === 'ready' ? previous : { kind: 'broken', reason }
}

/** A KV document as the edge loads it (`parseConfigText`, edge rules); the error is one line. */
function loadDocument<K extends ConfigKind>(
  kind: K,
  text: string
): Result<ConfigDocuments[K], string> {
  const parsed = parseConfigText(text, kind, { edge: true })
  return parsed.ok ? parsed : err(describeIssues(kind, parsed.error))
}

export class ConfigLoader {
  private readonly stages: DocCache<StageLookup>
  private readonly domains: DocCache<DomainLookup>
  private readonly protocols: DocCache<ProtocolType | undefined>
  private readonly deployments = new Map<string, DeploymentConfig>()

  constructor(
    private readonly kv: KVNamespace,
    ttlSeconds: number
  ) {
    const ttlMs = ttlSeconds * 1000
    this.stages = new DocCache((k, prev) => this.loadStage(k, prev), {
      ttlMs,
      maxEntries: MAX_STAGES,
    })
    this.domains = new DocCache((k) => this.loadDomain(k), { ttlMs, maxEntries: MAX_STAGES })
    this.protocols = new DocCache((k) => this.loadProtocol(k), { ttlMs, maxEntries: MAX_STAGES })
  }

  stage(apiId: string, stageName: string, waitUntil: (p: Promise<unknown>) => void) {
    return this.stages.get(`${apiId}/${stageName}`, waitUntil)
  }

  domain(domainName: string, waitUntil: (p: Promise<unknown>) => void) {
    return this.domains.get(domainName, waitUntil)
  }

  /** The protocol of an API's working definition (to shape "no such stage/route" answers). */
  protocol(apiId: string, waitUntil: (p: Promise<unknown>) => void) {
    return this.protocols.get(apiId, waitUntil)
  }

  private async readText(key: string): Promise<{ text: string | null } | { error: string }> {
    try {
      return { text: await readRaw(this.kv, key) }
    } catch (e) {
      return { error: `KV read failed: ${e instanceof Error ? e.message : String(e)}` }
    }
  }

  private async loadStage(
    slotKey: string,
    previous: StageLookup | undefined
  ): Promise<StageLookup> {
    const [apiId = '', stageName = ''] = slotKey.split('/')
    const key = KV_KEYS.stage(apiId, stageName)
    const read = await this.readText(key)
    if ('error' in read) return keepOrBreak(key, previous, read.error)
    if (read.text === null) return { kind: 'missing' }
    if (previous?.kind === 'ready' && previous.text === read.text) return previous
    const stage = loadDocument('stage', read.text)
    if (!stage.ok) return keepOrBreak(key, previous, stage.error)
    if (stage.value.apiId !== apiId || stage.value.stageName !== stageName) {
      return keepOrBreak(key, previous, 'stage document names another api or stage')
    }
    const deploymentId = stage.value.deploymentId
    if (deploymentId === undefined) return { kind: 'missing' }
    const primary = await this.compile(
      stage.value,
      deploymentId,
      stage.value.variables ?? {},
      false
    )
    if (typeof primary === 'string') return keepOrBreak(key, previous, primary)
    let canary: CompiledStage['canary']
    const settings = stage.value.canarySettings
    if (settings !== undefined && settings.percentTraffic > 0) {
      const vars = { ...stage.value.variables, ...settings.stageVariableOverrides }
      const variant = await this.compile(stage.value, settings.deploymentId, vars, true)
      if (typeof variant === 'string') return keepOrBreak(key, previous, `canary: ${variant}`)
      canary = { percentTraffic: settings.percentTraffic, variant }
    }
    const compiled: CompiledStage = {
      apiId,
      stageName,
      primary,
      ...(canary === undefined ? {} : { canary }),
    }
    return { kind: 'ready', compiled, text: read.text }
  }

  private async compile(
    stage: StageConfig,
    deploymentId: string,
    variables: Readonly<Record<string, string>>,
    isCanary: boolean
  ) {
    const deployment = await this.loadDeployment(stage.apiId, deploymentId)
    if (typeof deployment === 'string') return deployment
    let variant: ReturnType<typeof compileVariant>
    try {
      variant = compileVariant(deployment, stage, variables, isCanary)
    } catch (e) {
      return `deployment ${deploymentId} failed to compile: ${e instanceof Error ? e.message : String(e)}`
    }
    if (!variant.ok) {
      return `deployment ${deploymentId}: ${variant.error.map((i) => `${i.path} ${i.message}`).join('; ')}`
    }
    for (const issue of variant.value.routeIssues) {
      logConfigProblem(
        KV_KEYS.deployment(stage.apiId, deploymentId),
        `${issue.path} ${issue.message}`
      )
    }
    return variant.value
  }

  private async loadDeployment(apiId: string, id: string): Promise<DeploymentConfig | string> {
    const key = KV_KEYS.deployment(apiId, id)
    const cached = this.deployments.get(key)
    if (cached !== undefined) return cached // immutable: never re-read
    const read = await this.readText(key)
    if ('error' in read) return read.error
    if (read.text === null) return `deployment ${id} not found`
    const parsed = loadDocument('deployment', read.text)
    if (!parsed.ok) return `deployment ${id}: ${parsed.error}`
    if (parsed.value.apiId !== apiId || parsed.value.id !== id) {
      return `deployment ${id}: document names another api or deployment`
    }
    if (this.deployments.size >= MAX_DEPLOYMENTS) {
      const oldest = this.deployments.keys().next()
      if (oldest.done !== true) this.deployments.delete(oldest.value)
    }
    this.deployments.set(key, parsed.value)
    return parsed.value
  }

  private async loadDomain(domainName: string): Promise<DomainLookup> {
    const key = KV_KEYS.domain(domainName)
    const read = await this.readText(key)
    if ('error' in read || read.text === null) {
      if ('error' in read) logConfigProblem(key, read.error)
      return { kind: 'missing' }
    }
    const parsed = loadDocument('domain', read.text)
    if (!parsed.ok) {
      logConfigProblem(key, parsed.error)
      return { kind: 'missing' }
    }
    return { kind: 'ready', domain: parsed.value }
  }

  private async loadProtocol(apiId: string): Promise<ProtocolType | undefined> {
    const read = await this.readText(KV_KEYS.api(apiId))
    if ('error' in read || read.text === null) return undefined
    const parsed = loadDocument('api', read.text)
    return parsed.ok ? parsed.value.protocolType : undefined
  }
}

const loaders = new WeakMap<KVNamespace, ConfigLoader>()

/** One loader per isolate (keyed by the KV binding, which is fixed for the isolate's life). */
export function configLoader(kv: KVNamespace, ttlSetting: string | undefined): ConfigLoader {
  let loader = loaders.get(kv)
  if (loader === undefined) {
    const parsed = Number(ttlSetting ?? DEFAULT_TTL_SECONDS)
    const ttl = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 300) : DEFAULT_TTL_SECONDS
    loader = new ConfigLoader(kv, ttl)
    loaders.set(kv, loader)
  }
  return loader
}
