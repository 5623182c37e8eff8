/**
 * The data-plane request pipeline's contracts. A `CompiledApi` is built once per
 * (deployment, stage version) by `pipeline/build.ts`; per request only the composed handlers run.
 */
import type { GatewayBindings } from '../env'
import type {
  AccessLogSettingsConfig,
  ApiConfig,
  IntegrationConfig,
  ProtocolType,
  RouteConfig,
  RouteSettingsConfig,
} from '../config/types'
import type { UsagePlanRecord } from '../storage/usage-plan-types'

/** The stage as one request sees it (canary already decided). */
export interface ResolvedStage {
  readonly name: string
  readonly deploymentId: string
  readonly variables: Readonly<Record<string, string>>
  readonly isCanaryRequest: boolean
  readonly accessLogSettings?: AccessLogSettingsConfig
  readonly defaultRouteSettings?: RouteSettingsConfig
  readonly routeSettings?: Readonly<Record<string, RouteSettingsConfig>>
  /** AWS `cacheClusterEnabled`: the stage's response cache is on (routes opt in). */
  readonly cacheClusterEnabled?: boolean
  /** Bumped by a stage cache flush; part of every cache key. */
  readonly cacheGeneration?: number
  /** Bumped by an authorizer cache flush; part of every authorizer result-cache key. */
  readonly authorizerCacheGeneration?: number
}

/** Who the caller is, filled by authorization policies (later issues) for mapping/cache/limits. */
export interface CallerIdentity {
  apiKeyId?: string
  apiKey?: string
  principalId?: string
  claims?: Readonly<Record<string, unknown>>
  authorizerContext?: Readonly<Record<string, unknown>>
  /** The usage plan that covers this (API, stage) for the caller's key (set by the API-key step). */
  usagePlan?: Readonly<UsagePlanRecord>
}

/** Per-request state shared by policies and the integration. */
export interface RequestContext {
  /** Replaced only by the validate step, with the same headers and the bytes it buffered. */
  request: Request
  readonly env: GatewayBindings
  readonly executionCtx: Pick<ExecutionContext, 'waitUntil'>
  readonly requestId: string
  /** epoch ms */
  readonly startTime: number
  /** From the platform (`CF-Connecting-IP`), never from client-settable headers. */
  readonly clientIp: string
  readonly protocol: ProtocolType
  readonly api: ApiConfig
  readonly stage: ResolvedStage
  readonly route: RouteConfig
  /** The matched route key as AWS reports it (`GET /pets/{petId}`, `$default`). */
  readonly routeKey: string
  /** REST: the resource path template (`/pets/{petId}`); HTTP: the route path or `$default`. */
  readonly resourcePath: string
  /** Canonical request path below the stage (`/pets/42`). The one string everything uses. */
  readonly path: string
  /** Path as the client addressed it including stage / base path (`/dev/pets/42`). */
  readonly fullPath: string
  /** The host the client used. */
  readonly domainName: string
  readonly pathParameters: Readonly<Record<string, string>>
  /** The request URL, parsed once (query string, scheme). */
  readonly url: URL
  readonly query: URLSearchParams
  identity: CallerIdentity
  /** Headers every response of this request carries (CORS, rate-limit…), errors included. */
  readonly responseHeaders: Headers
  /** Status/latency facts for the access log. */
  readonly log: RequestLogFacts
}

export interface RequestLogFacts {
  integrationStatus?: number
  integrationLatencyMs?: number
  errorType?: string
  errorReason?: string
}

export type Next = () => Promise<Response>
/** One step of the pipeline: do per-request work, call `next()` or throw a `GatewayError`. */
export type PolicyHandler = (ctx: RequestContext, next: Next) => Promise<Response>
/** The last step: talk to the upstream (or answer for it). */
export type IntegrationHandler = (ctx: RequestContext) => Promise<Response>

/** What a policy's `build` sees: the route with its integration, inside one API deployment. */
export interface RouteBuildInput {
  readonly api: ApiConfig
  readonly route: RouteConfig
  readonly integration: IntegrationConfig | undefined
}

/**
 * A policy declares its place in the pipeline and builds, once per config version, the handler
 * for one route — or `undefined` when it does not apply to that route. `build` does no I/O.
 */
export interface Policy {
  readonly name: PolicyName
  build(input: RouteBuildInput): PolicyHandler | undefined
}

/**
 * DESIGN §4: order is code, not config. Later issues fill in the policies named here. One
 * deviation from DESIGN §4: `validate` runs before `throttle`, so requests rejected by validation
 * consume no rate or quota (DESIGN §5 "rejected requests do not consume quota"; docs/validation.md).
 */
export const POLICY_ORDER = [
  'cors',
  'resource-policy',
  'authorization',
  'validate',
  'throttle',
  'cache',
  'request-mapping',
] as const

export type PolicyName = (typeof POLICY_ORDER)[number]
