// Seeds the demo REST API (demo/demo-api.yaml) through Portico's admin API, idempotently:
// import it the first time (`POST /restapis?mode=import`), overwrite it on later runs
// (`PUT /restapis/{id}?mode=overwrite`, found by its title), then deploy to the stage with the
// stage variable `upstream`. Used by `npm start` and by test/e2e/quickstart.test.ts.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { request } from './lib/http.mjs'
import { ROOT } from './lib/wrangler.mjs'

export const DEMO_API_PATH = join(ROOT, 'demo', 'demo-api.yaml')

/** The demo document as a JS value (its `info.title` names the API). */
export function loadDemoDocument(path = DEMO_API_PATH) {
  return parse(readFileSync(path, 'utf8'))
}

function adminClient({ port, adminHost, adminToken }) {
  return async (method, path, body) => {
    const res = await request({
      port,
      host: adminHost,
      method,
      path,
      headers: {
        authorization: `Bearer ${adminToken}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    if (res.status < 200 || res.status > 299) {
      const type = res.headers['x-amzn-errortype'] ?? ''
      throw new Error(`admin ${method} ${path} → ${res.status} ${type} ${res.text.slice(0, 500)}`)
    }
    return res.text ? res.json() : undefined
  }
}

/** Lists every REST API, following `position` pages. */
async function listRestApis(admin) {
  const apis = []
  let position
  do {
    const query = `limit=500${position ? `&position=${encodeURIComponent(position)}` : ''}`
    const page = await admin('GET', `/restapis?${query}`)
    apis.push(...(Array.isArray(page?.item) ? page.item : []))
    position =
      typeof page?.position === 'string' && page.position !== '' ? page.position : undefined
  } while (position)
  return apis
}

/**
 * Imports or updates the demo API and deploys it.
 * @param {{ port: number, adminToken: string, adminHost?: string, upstream?: string,
 *   stageName?: string, document?: unknown }} options
 *   `upstream` is `host:port` of the pets upstream (stage variable `upstream`).
 * @returns {Promise<{ apiId: string, stageName: string, deploymentId: string, created: boolean }>}
 */
export async function seedDemo(options) {
  const {
    adminHost = 'admin.localhost',
    upstream = '127.0.0.1:8788',
    stageName = 'dev',
    document = loadDemoDocument(),
  } = options
  const admin = adminClient({ ...options, adminHost })
  const title = document?.info?.title
  if (typeof title !== 'string') throw new Error('the demo document has no info.title')

  const existing = (await listRestApis(admin)).find((api) => api?.name === title)
  let apiId
  if (existing) {
    apiId = existing.id
    await admin('PUT', `/restapis/${encodeURIComponent(apiId)}?mode=overwrite`, document)
  } else {
    const created = await admin('POST', '/restapis?mode=import', document)
    apiId = created?.id
  }
  if (typeof apiId !== 'string' || apiId === '') throw new Error('the admin API returned no API id')

  const variables = { upstream }
  const deployment = await admin('POST', `/restapis/${apiId}/deployments`, {
    stageName,
    description: 'portico demo (npm start)',
    variables,
  })
  // AWS: CreateDeployment's `variables` only seed a new stage; make sure an existing one has them.
  const stage = await admin('GET', `/restapis/${apiId}/stages/${encodeURIComponent(stageName)}`)
  if (stage?.variables?.upstream !== upstream) {
    await admin('PATCH', `/restapis/${apiId}/stages/${encodeURIComponent(stageName)}`, {
      patchOperations: [{ op: 'replace', path: '/variables/upstream', value: upstream }],
    })
  }
  return { apiId, stageName, deploymentId: String(deployment?.id ?? ''), created: !existing }
}
