/** Seeds APIs with a request authorizer and reads authorizer call counts (both transports). */
import { env } from 'cloudflare:workers'
import { expect } from 'vitest'
import type {
  ApiConfig,
  AuthorizerConfig,
  IntegrationConfig,
  RouteConfig,
} from '../../../../src/config/types'
import { seedApi, upstream, type Seeded } from '../../../support/seed'

export const WORKER_BACKEND: IntegrationConfig = {
  id: 'backend',
  type: 'WORKER',
  integrationUri: 'worker://DEMO_BACKEND',
}

export interface AuthorizedApiOptions {
  protocolType?: ApiConfig['protocolType']
  authorizer?: Partial<AuthorizerConfig>
  routes?: RouteConfig[]
  integrations?: IntegrationConfig[]
  apiExtras?: Partial<ApiConfig>
}

/** A TOKEN authorizer on the demo backend binding unless overridden. */
export function authorizer(overrides: Partial<AuthorizerConfig> = {}): AuthorizerConfig {
  return {
    id: 'auth1',
    name: 'lambda-auth',
    authorizerType: 'TOKEN',
    authorizerUri: 'worker://DEMO_BACKEND',
    identitySource: ['$request.header.Authorization'],
    ...overrides,
  }
}

/** `GET /pets/{id}` and `POST /pets/{id}` guarded by authorizer `auth1`, to the WORKER backend. */
export function guardedRoutes(): RouteConfig[] {
  return [
    { id: 'r1', routeKey: 'GET /pets/{id}', integrationId: 'backend' },
    { id: 'r2', routeKey: 'POST /pets/{id}', integrationId: 'backend' },
  ].map((r) => ({ ...r, authorizationType: 'CUSTOM' as const, authorizerId: 'auth1' }))
}

export function seedAuthorizedApi(options: AuthorizedApiOptions = {}): Promise<Seeded> {
  return seedApi({
    protocolType: options.protocolType ?? 'REST',
    routes: options.routes ?? guardedRoutes(),
    integrations: options.integrations ?? [WORKER_BACKEND],
    apiExtras: { authorizers: [authorizer(options.authorizer)], ...options.apiExtras },
  })
}

/** A fresh token `behaviour.unique` (the fixtures count calls per token). */
export function token(behaviour: string, arg?: string): string {
  return `${behaviour}.${arg ?? crypto.randomUUID()}`
}

/** Calls the demo backend saw for `token` (service-binding authorizer). */
export async function bindingCalls(value: string): Promise<number> {
  const res = await env.DEMO_BACKEND.fetch(
    `https://backend.invalid/authorizer-calls/${encodeURIComponent(value)}`
  )
  const body: { calls: number } = await res.json()
  return body.calls
}

/** Calls the loopback upstream's `/authorizer` saw for `token` (HTTP authorizer). */
export async function httpCalls(value: string): Promise<number> {
  const res = await fetch(upstream(`/hits/${encodeURIComponent(value)}`))
  const body: { hits: number } = await res.json()
  return body.hits
}

/** The Lambda proxy event the WORKER backend received (its default echo answer). */
export async function receivedEvent(res: Response): Promise<Record<string, unknown>> {
  expect(res.status).toBe(200)
  const body: { received: Record<string, unknown> } = await res.json()
  return body.received
}
