/**
 * The apigatewayv2 admin resources (HTTP and WebSocket APIs), AWS-shaped: same paths, camelCase
 * JSON fields and error types as `@aws-sdk/client-apigatewayv2`. Mounted at `/v2` behind the
 * admin plane's authentication (admin/index.ts). docs/admin-api.md, "HTTP APIs (apigatewayv2)".
 */
import { Hono } from 'hono'
import type { GatewayEnv } from '../../env'
import { apiMappingRoutes } from './api-mappings'
import { apiRoutes } from './apis'
import { authorizerRoutes } from './authorizers'
import { corsRoutes } from './cors'
import { deploymentRoutes } from './deployments'
import { domainNameRoutes } from './domain-names'
import { importExportRoutes } from './import-export'
import { integrationResponseRoutes } from './integration-responses'
import { integrationRoutes } from './integrations'
import { modelRoutes } from './models'
import { routeResponseRoutes } from './route-responses'
import { routeRoutes } from './routes'
import { stageRoutes } from './stages'

/** Everything under `/v2`. */
export const v2Routes = new Hono<GatewayEnv>()

v2Routes.route('/apis', apiRoutes)
v2Routes.route('/apis', importExportRoutes)
v2Routes.route('/apis', routeRoutes)
v2Routes.route('/apis', integrationRoutes)
v2Routes.route('/apis', stageRoutes)
v2Routes.route('/apis', deploymentRoutes)
v2Routes.route('/apis', authorizerRoutes)
v2Routes.route('/apis', modelRoutes)
v2Routes.route('/apis', corsRoutes)
v2Routes.route('/apis', routeResponseRoutes)
v2Routes.route('/apis', integrationResponseRoutes)
v2Routes.route('/domainnames', domainNameRoutes)
v2Routes.route('/domainnames', apiMappingRoutes)
