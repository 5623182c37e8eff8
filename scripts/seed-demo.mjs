// Seeds the demo REST API (demo/demo-api.yaml) through Portico's admin API, idempotently:
// import it the first time (`POST /restapis?mode=import`), overwrite it on later runs
// (`PUT /restapis/{id}?mode=overwrite`, found by its title), then deploy to the stage with the
// stage variable `upstream`; then a demo usage plan and a fresh demo API key for the
// `apiKeyRequired` route `GET /premium`, printed with a curl loop that hits the limit.
// Used by `npm start` and by test/e2e/quickstart.test.ts.
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
  const log = options.log ?? console.log
  const demoKey = await seedDemoKey(admin, { apiId, stageName, log })
  return {
    apiId,
    stageName,
    deploymentId: String(deployment?.id ?? ''),
    created: !existing,
    ...(demoKey ? { demoKey } : {}),
  }
}

export const DEMO_PLAN_NAME = 'portico-demo-plan'
export const DEMO_KEY_NAME = 'portico-demo-key'

/** The demo plan covering (apiId, stage): burst 5, 1 request/s, 100 requests per UTC day. */
async function ensureDemoPlan(admin, apiId, stageName) {
  const page = await admin('GET', '/usageplans?limit=500')
  const plans = Array.isArray(page?.item) ? page.item : []
  const covers = (plan) =>
    plan?.name === DEMO_PLAN_NAME &&
    Array.isArray(plan.apiStages) &&
    plan.apiStages.some((s) => s?.apiId === apiId && s?.stage === stageName)
  const found = plans.find(covers)
  if (found) return found.id
  const created = await admin('POST', '/usageplans', {
    name: DEMO_PLAN_NAME,
    description: 'portico demo (npm start): burst 5, 1 request/s, 100 requests per day',
    throttle: { burstLimit: 5, rateLimit: 1 },
    quota: { limit: 100, period: 'DAY', offset: 0 },
    apiStages: [{ apiId, stage: stageName }],
  })
  return created?.id
}

/**
 * A fresh demo API key in the demo usage plan, through the admin API (`POST /apikeys`,
 * `POST /usageplans`, `POST /usageplans/{id}/keys`). A key's value is only returned when it is
 * created, so each run replaces the previous demo key. Best effort: if the key/plan resources
 * fail, the rest of the demo is still seeded and the failure is reported.
 * @returns {Promise<{ id: string, value: string, usagePlanId: string } | undefined>}
 */
async function seedDemoKey(admin, { apiId, stageName, log }) {
  try {
    const planId = await ensureDemoPlan(admin, apiId, stageName)
    if (typeof planId !== 'string') throw new Error('the admin API returned no usage plan id')
    const old = await admin('GET', `/apikeys?name=${DEMO_KEY_NAME}&limit=500`)
    for (const key of Array.isArray(old?.item) ? old.item : []) {
      if (key?.name === DEMO_KEY_NAME) await admin('DELETE', `/apikeys/${key.id}`)
    }
    const key = await admin('POST', '/apikeys', {
      name: DEMO_KEY_NAME,
      description: 'portico demo key (npm start)',
      enabled: true,
    })
    if (typeof key?.id !== 'string' || typeof key?.value !== 'string') {
      throw new Error('the admin API returned no key id/value')
    }
    await admin('POST', `/usageplans/${planId}/keys`, { keyId: key.id, keyType: 'API_KEY' })
    return { id: key.id, value: key.value, usagePlanId: planId }
  } catch (error) {
    log(`demo API key not created (${error instanceof Error ? error.message : String(error)})`)
    return undefined
  }
}

/** The curl loop that shows the demo plan's limit being hit: 200s, then 429s. */
export function demoKeyExample({ apiId, stageName, value, port = 8787 }) {
  const host = `${apiId}.execute-api.localhost`
  return [
    `Demo API key (usage plan ${DEMO_PLAN_NAME}: burst 5, 1 request/s, 100/day): ${value}`,
    `  GET /${stageName}/premium needs it. Ten quick requests: the first five pass (200), then 429s:`,
    `  for i in $(seq 10); do curl -s -o /dev/null -w '%{http_code}\\n' -H 'Host: ${host}' \\`,
    `    -H 'x-api-key: ${value}' http://127.0.0.1:${port}/${stageName}/premium; done`,
  ].join('\n')
}

export const CHAT_API_NAME = 'portico-demo-chat'
const CHAT_ROUTES = ['join', 'leave', 'send']
const CHAT_HELP =
  '{"connectionId": "$context.connectionId", "help": "send {\\"action\\":\\"join\\",\\"room\\":\\"lobby\\"}, then {\\"action\\":\\"send\\",\\"room\\":\\"lobby\\",\\"text\\":\\"hi\\"}; {\\"action\\":\\"leave\\",\\"room\\":\\"lobby\\"} to leave"}'

/** Creates a route answering through `integrationId` with a `$default` route response. */
async function createAnsweringRoute(admin, apiId, routeKey, integrationId) {
  const route = await admin('POST', `/v2/apis/${apiId}/routes`, {
    routeKey,
    target: `integrations/${integrationId}`,
    routeResponseSelectionExpression: '$default',
  })
  await admin('POST', `/v2/apis/${apiId}/routes/${route.routeId}/routeresponses`, {
    routeResponseKey: '$default',
  })
}

/**
 * Seeds the demo chat, a WebSocket API (apigatewayv2 admin resources), idempotently: the API is
 * found by name and its routes and integrations are rebuilt, so its id stays stable across runs.
 * Routes `join`, `leave`, `send` go to the demo backend Worker (demo/backend/chat.ts: rooms are
 * topics); `$default` is a MOCK answering a help text with the caller's connection id.
 * @param {{ port: number, adminToken: string, adminHost?: string, stageName?: string }} options
 * @returns {Promise<{ apiId: string, stageName: string, created: boolean }>}
 */
export async function seedChat(options) {
  const { adminHost = 'admin.localhost', stageName = 'dev' } = options
  const admin = adminClient({ ...options, adminHost })
  const apis = await admin('GET', '/v2/apis?maxResults=500')
  const existing = (Array.isArray(apis?.items) ? apis.items : []).find(
    (api) => api?.name === CHAT_API_NAME && api?.protocolType === 'WEBSOCKET'
  )
  const apiId =
    existing?.apiId ??
    (
      await admin('POST', '/v2/apis', {
        name: CHAT_API_NAME,
        protocolType: 'WEBSOCKET',
        routeSelectionExpression: '$request.body.action',
        description: 'portico demo chat (npm start): rooms are topics',
      })
    )?.apiId
  if (typeof apiId !== 'string' || apiId === '') throw new Error('the admin API returned no API id')

  // Routes first: an integration a route targets cannot be deleted (409).
  const routes = await admin('GET', `/v2/apis/${apiId}/routes?maxResults=500`)
  for (const route of routes?.items ?? []) {
    await admin('DELETE', `/v2/apis/${apiId}/routes/${route.routeId}`)
  }
  const integrations = await admin('GET', `/v2/apis/${apiId}/integrations?maxResults=500`)
  for (const integration of integrations?.items ?? []) {
    await admin('DELETE', `/v2/apis/${apiId}/integrations/${integration.integrationId}`)
  }

  const backend = await admin('POST', `/v2/apis/${apiId}/integrations`, {
    integrationType: 'WORKER',
    integrationUri: 'worker://DEMO_BACKEND',
    description: 'demo/backend/chat.ts',
  })
  for (const routeKey of CHAT_ROUTES) {
    await createAnsweringRoute(admin, apiId, routeKey, backend.integrationId)
  }
  const help = await admin('POST', `/v2/apis/${apiId}/integrations`, {
    integrationType: 'MOCK',
    requestTemplates: { $default: '{"statusCode": 200}' },
  })
  await admin('POST', `/v2/apis/${apiId}/integrations/${help.integrationId}/integrationresponses`, {
    integrationResponseKey: '$default',
    responseTemplates: { $default: CHAT_HELP },
  })
  await createAnsweringRoute(admin, apiId, '$default', help.integrationId)

  const stages = await admin('GET', `/v2/apis/${apiId}/stages?maxResults=500`)
  if (!(stages?.items ?? []).some((s) => s?.stageName === stageName)) {
    await admin('POST', `/v2/apis/${apiId}/stages`, { stageName })
  }
  await admin('POST', `/v2/apis/${apiId}/deployments`, {
    stageName,
    description: 'portico demo chat (npm start)',
  })
  return { apiId, stageName, created: existing === undefined }
}

/** How to talk to the demo chat with wscat. */
export function chatExample({ apiId, stageName, port = 8787 }) {
  return [
    `Demo chat (WebSocket API ${CHAT_API_NAME}, id ${apiId}), stage ${stageName}: rooms are topics.`,
    `  npx wscat -c ws://${apiId}.execute-api.localhost:${port}/${stageName}`,
    `  (where *.localhost does not resolve: npx wscat -c ws://127.0.0.1:${port}/${stageName} -H 'Host: ${apiId}.execute-api.localhost')`,
    `  then send (open a second wscat to see the broadcast arrive there too):`,
    `    {"action":"join","room":"lobby"}`,
    `    {"action":"send","room":"lobby","text":"hello","name":"ada"}`,
    `    {"action":"leave","room":"lobby"}`,
    `    anything else → help ($default route)`,
  ].join('\n')
}
