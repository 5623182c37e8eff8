/**
 * apigatewayv2 `corsConfiguration` on CreateApi / UpdateApi (replaced whole, as AWS) and
 * DeleteCorsConfiguration (`DELETE /v2/apis/{apiId}/cors`). HTTP APIs only, as AWS. The values
 * are vetted by the write-time checks (exact origins, no `*` with credentials).
 */
import { Hono } from 'hono'
import type { ApiConfig, CorsConfig } from '../../config/types'
import type { GatewayEnv } from '../../env'
import { badRequest } from '../errors'
import { compact, type Fields } from './parse'
import { commitApi, loadV2Api } from './store'

/** The `corsConfiguration` in `f`, or `base`'s when absent. */
export function readCorsConfiguration(f: Fields, base: ApiConfig): CorsConfig | undefined {
  const cors = f.obj('corsConfiguration')
  if (cors === undefined) return base.corsConfiguration
  if (base.protocolType !== 'HTTP')
    badRequest("'corsConfiguration' is supported only for HTTP APIs")
  const config: CorsConfig = compact({
    allowOrigins: cors.strList('allowOrigins'),
    allowMethods: cors.strList('allowMethods'),
    allowHeaders: cors.strList('allowHeaders'),
    exposeHeaders: cors.strList('exposeHeaders'),
    maxAge: cors.num('maxAge'),
    allowCredentials: cors.bool('allowCredentials'),
  })
  cors.done()
  return config
}

/** DeleteCorsConfiguration; mounted under `/apis`. */
export const corsRoutes = new Hono<GatewayEnv>()

corsRoutes.delete('/:apiId/cors', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const next: ApiConfig = { ...api }
  delete next.corsConfiguration
  await commitApi(c, next, 'DeleteCorsConfiguration', `/v2/apis/${api.id}/cors`)
  return c.body(null, 204)
})
