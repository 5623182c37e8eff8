/**
 * The admin plane (DESIGN §3): AWS's management APIs on `ADMIN_HOSTNAME` only. Order: host check
 * (defence in depth — the entry mounts this app for the admin host alone), credentials
 * configured, body cap, authentication, then the apigateway v1 routes and apigatewayv2 at `/v2`.
 * Every response carries `x-amzn-RequestId`; every failure is AWS-shaped (admin/errors.ts).
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import type { GatewayEnv } from '../env'
import { apiKeyRoutes } from './api-keys'
import { authorizerRoutes } from './authorizers'
import { adminAuth } from './auth'
import { adminRequest } from './context'
import { deploymentRoutes } from './deployments'
import { AdminError, toAdminResponse } from './errors'
import { exportRoutes } from './exports'
import { gatewayResponseRoutes } from './gateway-responses'
import { modelRoutes } from './models'
import { requestValidatorRoutes } from './request-validators'
import { resourceRoutes } from './resources'
import { restApiRoutes } from './rest-apis'
import { stageRoutes } from './stages'
import { usageRoutes } from './usage'
import { usagePlanKeyRoutes } from './usage-plan-keys'
import { usagePlanRoutes } from './usage-plans'
import { v2Routes } from './v2/index'
import { classifyHost } from '../routing/host'

/** Whether the request's Host (header, else URL) is the admin host, by the entry's own rule. */
function isAdminHost(c: Context<GatewayEnv>): boolean {
  const host = c.req.header('host') ?? new URL(c.req.url).host
  return classifyHost(host, c.env).kind === 'admin'
}

export const adminApp = new Hono<GatewayEnv>()

const adminHostOnly: MiddlewareHandler<GatewayEnv> = async (c, next) => {
  // Refuse to act for any other host even if mounted wrongly: a data-plane host never reaches
  // admin handlers (SECURITY: "admin plane unreachable from data-plane hosts").
  if (c.env.ADMIN_HOSTNAME === '' || !isAdminHost(c)) {
    return toAdminResponse(new AdminError('NotFoundException', 'Not Found'))
  }
  const { requestId } = adminRequest(c)
  await next()
  c.res.headers.set('x-amzn-RequestId', requestId)
}

adminApp.use('*', adminHostOnly)
adminApp.use('*', adminAuth)

adminApp.route('/', restApiRoutes)
adminApp.route('/', resourceRoutes)
adminApp.route('/', deploymentRoutes)
adminApp.route('/', stageRoutes)
adminApp.route('/', exportRoutes)
adminApp.route('/', gatewayResponseRoutes)
adminApp.route('/', authorizerRoutes)
adminApp.route('/', modelRoutes)
adminApp.route('/', requestValidatorRoutes)
adminApp.route('/', apiKeyRoutes)
adminApp.route('/', usagePlanRoutes)
adminApp.route('/', usagePlanKeyRoutes)
adminApp.route('/', usageRoutes)
adminApp.route('/v2', v2Routes)

adminApp.notFound((c) =>
  toAdminResponse(
    new AdminError('NotFoundException', `No admin resource at ${c.req.method} ${c.req.path}`),
    adminRequest(c).requestId
  )
)

adminApp.onError((error, c) => toAdminResponse(error, adminRequest(c).requestId))
