/**
 * GetExport: `GET /restapis/{id}/stages/{stage}/exports/{oas30|swagger}` — the definition the
 * stage serves (its deployment's snapshot), as JSON or YAML by `Accept`, with API Gateway
 * extensions when `extensions` names `apigateway` or `integrations` (AWS GetExport parameters).
 */
import { Hono } from 'hono'
import { stringify } from 'yaml'
import type { GatewayEnv } from '../env'
import { exportOpenApi } from '../openapi/export'
import { badRequest, notFound } from './errors'
import { requireDeployment, requireRestApi, requireStage } from './rest-api-shape'
import { toSwagger2 } from './export-swagger'

export const exportRoutes = new Hono<GatewayEnv>()

/** AWS: `application/json` (default) or `application/yaml`. */
function pickFormat(accept: string | undefined): 'json' | 'yaml' {
  const types = (accept ?? '').split(',').map((t) => (t.split(';')[0] ?? '').trim().toLowerCase())
  if (types.includes('application/yaml') && !types.includes('application/json')) return 'yaml'
  if (
    types.every(
      (t) => t === '' || t === 'application/json' || t === '*/*' || t === 'application/yaml'
    )
  ) {
    return 'json'
  }
  return badRequest('Accept must be application/json or application/yaml')
}

exportRoutes.get('/restapis/:restApiId/stages/:stageName/exports/:exportType', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const stage = await requireStage(c, api.id, c.req.param('stageName'))
  const exportType = c.req.param('exportType')
  if (exportType !== 'oas30' && exportType !== 'swagger') {
    return badRequest(`Export type ${exportType} is not supported; use oas30 or swagger`)
  }
  const format = pickFormat(c.req.header('accept'))
  const ext = (c.req.queries('extensions') ?? []).flatMap((e) => e.split(','))
  const extensions = ext.includes('apigateway') || ext.includes('integrations')
  if (stage.deploymentId === undefined) return notFound('The stage has no deployment to export')
  const deployment = await requireDeployment(c, api.id, stage.deploymentId)
  const invokeUrl = `https://${api.id}.${c.env.EXECUTE_API_DOMAIN}/${stage.stageName}`
  const oas = exportOpenApi(deployment.api, {
    stage: { ...stage, invokeUrl },
    extensions,
    ...(deployment.api.openapiExtras === undefined ? {} : { extras: deployment.api.openapiExtras }),
  })
  const doc = exportType === 'swagger' ? toSwagger2(oas) : oas
  const ext2 = format === 'yaml' ? 'yaml' : 'json'
  const filename = `${api.id}-${stage.stageName}-${exportType}.${ext2}`
  const body = format === 'yaml' ? stringify(doc) : JSON.stringify(doc, null, 2)
  return c.body(body, 200, {
    'content-type': `application/${ext2}`,
    'content-disposition': `attachment; filename="${filename}"`,
  })
})
