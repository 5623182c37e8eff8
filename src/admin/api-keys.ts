/**
 * `/apikeys` (AWS apigateway v1 CreateApiKey, GetApiKeys, GetApiKey, UpdateApiKey, DeleteApiKey).
 * The plaintext value exists only in the CreateApiKey request and response: it is hashed before
 * storage, never logged, and never echoed in an error (docs/api-keys.md).
 */
import { Hono, type Context } from 'hono'
import { hashApiKey } from '../api-keys/hash'
import { generateApiKey, isAcceptableSuppliedValue, valuePrefix } from '../api-keys/key-format'
import { newResourceId } from '../config/ids'
import type { GatewayEnv } from '../env'
import * as keys from '../storage/api-keys'
import type { ApiKeyRecord } from '../storage/usage-plan-types'
import { recordAudit } from './commit'
import { badRequest, conflict, notFound } from './errors'
import { jsonBody, optBool, optString, optStringMap, pagingQuery, type JsonObject } from './input'
import { apiKeyOut } from './keys-shape'
import { invalidPatch, parsePatchOperations, requireValue } from './patch'

export const apiKeyRoutes = new Hono<GatewayEnv>()

/** Bounds what one key row may hold (AWS documents no exact caps; these are generous). */
const MAX_TEXT = 1024
const MAX_TAGS = 50

function text(body: JsonObject, field: string): string | undefined {
  const value = optString(body, field)
  if (value !== undefined && value.length > MAX_TEXT) {
    return badRequest(`'${field}' must be at most ${String(MAX_TEXT)} characters`)
  }
  return value
}

async function requireKey(c: Context<GatewayEnv>, id: string): Promise<ApiKeyRecord> {
  const key = await keys.getKey(c.env.DB, id)
  return key ?? notFound('Invalid API Key identifier specified')
}

apiKeyRoutes.post('/apikeys', async (c) => {
  const body = await jsonBody(c)
  const supplied = optString(body, 'value')
  let value = generateApiKey()
  if (supplied !== undefined) {
    const checked = isAcceptableSuppliedValue(supplied)
    if (!checked.ok) return badRequest(checked.error)
    value = checked.value
  }
  const stageKeys = body.stageKeys
  if (Array.isArray(stageKeys) && stageKeys.length > 0) {
    return badRequest("'stageKeys' is not supported: attach keys to usage plans instead")
  }
  optBool(body, 'generateDistinctId') // AWS: deprecated; ids are always distinct here.
  const tags = optStringMap(body, 'tags')
  if (tags !== undefined && Object.keys(tags).length > MAX_TAGS) {
    return badRequest(`'tags' must have at most ${String(MAX_TAGS)} entries`)
  }
  const id = newResourceId(10)
  const now = new Date().toISOString()
  const record: ApiKeyRecord = {
    id,
    name: text(body, 'name') ?? id,
    // AWS: a key is created disabled unless `enabled` is true.
    enabled: optBool(body, 'enabled') ?? false,
    valuePrefix: valuePrefix(value),
    createdDate: now,
    lastUpdatedDate: now,
  }
  const description = text(body, 'description')
  const customerId = text(body, 'customerId')
  if (description !== undefined) record.description = description
  if (customerId !== undefined) record.customerId = customerId
  if (tags !== undefined) record.tags = tags
  const created = await keys.createKey(c.env.DB, { record, keyHash: await hashApiKey(value) })
  if (!created) return conflict('API Key with the specified value already exists')
  await recordAudit(c, 'CreateApiKey', `/apikeys/${id}`)
  return c.json({ ...apiKeyOut(record), value }, 201)
})

apiKeyRoutes.get('/apikeys', async (c) => {
  const paging = pagingQuery(c)
  const options: keys.KeyListOptions = { limit: paging.limit }
  if (paging.position !== undefined) options.after = paging.position
  const nameQuery = c.req.query('name')
  const customerId = c.req.query('customerId')
  if (nameQuery !== undefined && nameQuery !== '') options.nameQuery = nameQuery
  if (customerId !== undefined && customerId !== '') options.customerId = customerId
  const result = await keys.listKeys(c.env.DB, options)
  const out: Record<string, unknown> = { item: result.items.map(apiKeyOut) }
  if (result.position !== undefined) out.position = result.position
  if (c.req.query('includeValues') === 'true') {
    out.warnings = ['includeValues is not supported: only hashes of key values are stored']
  }
  return c.json(out)
})

apiKeyRoutes.get('/apikeys/:apiKey', async (c) => {
  return c.json(apiKeyOut(await requireKey(c, c.req.param('apiKey'))))
})

function applyKeyPatch(key: ApiKeyRecord, body: JsonObject): ApiKeyRecord {
  const next: ApiKeyRecord = { ...key }
  for (const op of parsePatchOperations(body)) {
    if (op.op !== 'replace') return invalidPatch(op)
    const value = requireValue(op)
    if (value.length > MAX_TEXT) return badRequest(`Value for '${op.path}' is too long`)
    if (op.path === '/name') {
      if (value === '') return badRequest("'name' must not be empty")
      next.name = value
    } else if (op.path === '/description') {
      if (value === '') delete next.description
      else next.description = value
    } else if (op.path === '/customerId') {
      if (value === '') delete next.customerId
      else next.customerId = value
    } else if (op.path === '/enabled') {
      if (value !== 'true' && value !== 'false')
        return badRequest("'enabled' must be true or false")
      next.enabled = value === 'true'
    } else {
      return invalidPatch(op)
    }
  }
  return next
}

apiKeyRoutes.patch('/apikeys/:apiKey', async (c) => {
  const key = await requireKey(c, c.req.param('apiKey'))
  const next = applyKeyPatch(key, await jsonBody(c))
  next.lastUpdatedDate = new Date().toISOString()
  if (!(await keys.updateKey(c.env.DB, next)))
    return notFound('Invalid API Key identifier specified')
  await recordAudit(c, 'UpdateApiKey', `/apikeys/${key.id}`)
  return c.json(apiKeyOut(next))
})

apiKeyRoutes.delete('/apikeys/:apiKey', async (c) => {
  const id = c.req.param('apiKey')
  if (!(await keys.deleteKey(c.env.DB, id))) return notFound('Invalid API Key identifier specified')
  await recordAudit(c, 'DeleteApiKey', `/apikeys/${id}`)
  return c.body(null, 202)
})
