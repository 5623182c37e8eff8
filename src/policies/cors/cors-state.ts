/**
 * An API's CORS configuration compiled once per config version (the `ApiConfig` object of a
 * deployment is immutable and shared by every route's build and every request): canonical
 * origins in a `Set`, lower-cased header names, and the header values that do not depend on the
 * request already joined. A configuration the write-time checks would refuse compiles to a state
 * that allows nothing (fail closed) and is logged once.
 */
import { corsConfigIssues } from '../../config/validate-cors'
import type { ApiConfig, CorsConfig } from '../../config/types'
import { parseOrigin, SCHEME_WILDCARDS } from './origin'

export interface CorsState {
  readonly anyOrigin: boolean
  /** `http:` / `https:` when `http://*` / `https://*` is configured. */
  readonly anyOriginOfScheme: ReadonlySet<string>
  readonly origins: ReadonlySet<string>
  readonly credentials: boolean
  readonly anyMethod: boolean
  readonly methods: ReadonlySet<string>
  readonly anyHeader: boolean
  /** Lower case. */
  readonly headers: ReadonlySet<string>
  /** Preflight `Access-Control-Allow-Methods` / `-Allow-Headers` when not echoing. */
  readonly allowMethodsValue: string | undefined
  readonly allowHeadersValue: string | undefined
  readonly exposeHeadersValue: string | undefined
  readonly maxAgeValue: string | undefined
}

/** Fetch §2.2.1: methods a browser never preflights; allowed when `allowMethods` is absent. */
const SAFELISTED_METHODS = ['GET', 'HEAD', 'POST']

const NOTHING_ALLOWED: CorsState = {
  anyOrigin: false,
  anyOriginOfScheme: new Set(),
  origins: new Set(),
  credentials: false,
  anyMethod: false,
  methods: new Set(),
  anyHeader: false,
  headers: new Set(),
  allowMethodsValue: undefined,
  allowHeadersValue: undefined,
  exposeHeadersValue: undefined,
  maxAgeValue: undefined,
}

function joined(list: readonly string[] | undefined): string | undefined {
  return list === undefined || list.length === 0 ? undefined : list.join(', ')
}

/** Compiles a configuration that passed `corsConfigIssues`. */
function compile(cors: CorsConfig): CorsState {
  const origins = new Set<string>()
  const anyOriginOfScheme = new Set<string>()
  for (const entry of cors.allowOrigins ?? []) {
    const scheme = SCHEME_WILDCARDS.get(entry)
    if (scheme !== undefined) anyOriginOfScheme.add(scheme)
    const parsed = parseOrigin(entry)
    if (parsed.ok) origins.add(parsed.origin)
  }
  const methods = cors.allowMethods ?? SAFELISTED_METHODS
  const headers = (cors.allowHeaders ?? []).map((h) => h.toLowerCase())
  return {
    anyOrigin: cors.allowOrigins?.includes('*') === true,
    anyOriginOfScheme,
    origins,
    credentials: cors.allowCredentials === true,
    anyMethod: methods.includes('*'),
    methods: new Set(methods),
    anyHeader: headers.includes('*'),
    headers: new Set(headers),
    allowMethodsValue: joined(cors.allowMethods),
    allowHeadersValue: joined(cors.allowHeaders),
    exposeHeadersValue: joined(cors.exposeHeaders),
    maxAgeValue: cors.maxAge === undefined ? undefined : String(cors.maxAge),
  }
}

const STATES = new WeakMap<ApiConfig, CorsState | null>()

/**
 * The CORS state of `api`, or `undefined` when CORS is not configured (or the API is a WebSocket
 * API, where it does not apply). Compiled on first use per `ApiConfig` object.
 */
export function corsStateOf(api: ApiConfig): CorsState | undefined {
  const known = STATES.get(api)
  if (known !== undefined) return known ?? undefined
  const cors = api.corsConfiguration
  let state: CorsState | null = null
  if (cors !== undefined && api.protocolType !== 'WEBSOCKET') {
    const issues = corsConfigIssues(cors, api.protocolType)
    if (issues.length === 0) state = compile(cors)
    else {
      state = NOTHING_ALLOWED
      console.error(
        JSON.stringify({
          level: 'error',
          event: 'cors_config_refused',
          apiId: api.id,
          reason: issues.map((i) => `${i.path} ${i.message}`).join('; '),
        })
      )
    }
  }
  STATES.set(api, state)
  return state ?? undefined
}
