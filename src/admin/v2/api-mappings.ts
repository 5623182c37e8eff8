/**
 * apigatewayv2 API mappings: `/v2/domainnames/{domainName}/apimappings[/{apiMappingId}]`. A
 * mapping names an existing API and stage (400 otherwise); `apiMappingKey` is '' (root) or a
 * path of one or more segments (`v1`, `v1/orders`); a key used twice on a domain is a 409.
 */
import { Hono } from 'hono'
import { newResourceId } from '../../config/ids'
import { MAX_API_MAPPING_KEY_LENGTH } from '../../config/limits'
import type { ApiMappingConfig, DomainNameConfig } from '../../config/types'
import type { GatewayEnv } from '../../env'
import { v2Queries } from '../../storage/config-queries-v2'
import { badRequest, conflict, notFound } from '../errors'
import { loadDomain } from './domain-names'
import { paginate } from './paging'
import { compact, type Fields, readBody } from './parse'
import { committed, findStage, putDomain, type V2Context } from './store'
import { mappingToWire } from './wire-stage'

const KEY_SEGMENT = /^[A-Za-z0-9._~-]+$/

function keyProblem(key: string): string | undefined {
  if (key === '') return undefined
  if (key.length > MAX_API_MAPPING_KEY_LENGTH) return 'the key is too long'
  const segments = key.split('/')
  if (!segments.every((s) => KEY_SEGMENT.test(s) && s !== '.' && s !== '..')) {
    return 'expected path segments of letters, digits, - . _ ~ separated by / (no leading or trailing /)'
  }
  return undefined
}

function findMapping(domain: DomainNameConfig, id: string): ApiMappingConfig {
  const found = domain.mappings.find((m) => m.apiMappingId === id)
  return found ?? notFound(`Invalid API mapping identifier specified ${id}`)
}

/** Reads the mapping fields over `base` and checks what they reference. */
async function applyMappingFields(
  c: V2Context,
  f: Fields,
  domain: DomainNameConfig,
  base: ApiMappingConfig
): Promise<ApiMappingConfig> {
  const mapping: ApiMappingConfig = {
    ...base,
    ...compact({
      apiId: f.str('apiId'),
      stage: f.str('stage'),
      apiMappingKey: f.str('apiMappingKey'),
    }),
  }
  f.done()
  if (mapping.apiId === '') badRequest("'apiId' is required")
  if (mapping.stage === '') badRequest("'stage' is required")
  const problem = keyProblem(mapping.apiMappingKey)
  if (problem !== undefined) {
    badRequest(`Invalid 'apiMappingKey' '${mapping.apiMappingKey}': ${problem}`)
  }
  if ((await v2Queries.api(c.env.ROUTES, mapping.apiId)) === null) {
    badRequest(`'apiId': API ${mapping.apiId} does not exist`)
  }
  if ((await findStage(c, mapping.apiId, mapping.stage)) === undefined) {
    badRequest(`'stage': stage ${mapping.stage} does not exist in API ${mapping.apiId}`)
  }
  const clash = domain.mappings.find(
    (m) => m.apiMappingId !== mapping.apiMappingId && m.apiMappingKey === mapping.apiMappingKey
  )
  if (clash !== undefined) {
    conflict(`API mapping key '${mapping.apiMappingKey}' is already used on ${domain.domainName}`)
  }
  return mapping
}

/** API mappings of the v2 API surface; mounted under `/domainnames`. */
export const apiMappingRoutes = new Hono<GatewayEnv>()

apiMappingRoutes.post('/:domainName/apimappings', async (c) => {
  const domain = await loadDomain(c, c.req.param('domainName'))
  const f = await readBody(c)
  const base: ApiMappingConfig = {
    apiMappingId: newResourceId(),
    apiId: f.requiredStr('apiId'),
    stage: f.requiredStr('stage'),
    apiMappingKey: '',
  }
  const mapping = await applyMappingFields(c, f, domain, base)
  await putDomain(c, { ...domain, mappings: [...domain.mappings, mapping] })
  await committed(
    c,
    'CreateApiMapping',
    `/v2/domainnames/${domain.domainName}/apimappings/${mapping.apiMappingId}`
  )
  return c.json(mappingToWire(mapping), 201)
})

apiMappingRoutes.get('/:domainName/apimappings', async (c) => {
  const domain = await loadDomain(c, c.req.param('domainName'))
  const page = paginate(domain.mappings, (m) => m.apiMappingId, c.req.query())
  return c.json({ items: page.items.map(mappingToWire), ...compact({ nextToken: page.nextToken }) })
})

apiMappingRoutes.get('/:domainName/apimappings/:apiMappingId', async (c) => {
  const domain = await loadDomain(c, c.req.param('domainName'))
  return c.json(mappingToWire(findMapping(domain, c.req.param('apiMappingId'))))
})

apiMappingRoutes.patch('/:domainName/apimappings/:apiMappingId', async (c) => {
  const domain = await loadDomain(c, c.req.param('domainName'))
  const existing = findMapping(domain, c.req.param('apiMappingId'))
  const mapping = await applyMappingFields(c, await readBody(c), domain, existing)
  const mappings = domain.mappings.map((m) =>
    m.apiMappingId === mapping.apiMappingId ? mapping : m
  )
  await putDomain(c, { ...domain, mappings })
  await committed(
    c,
    'UpdateApiMapping',
    `/v2/domainnames/${domain.domainName}/apimappings/${mapping.apiMappingId}`
  )
  return c.json(mappingToWire(mapping))
})

apiMappingRoutes.delete('/:domainName/apimappings/:apiMappingId', async (c) => {
  const domain = await loadDomain(c, c.req.param('domainName'))
  const mapping = findMapping(domain, c.req.param('apiMappingId'))
  const mappings = domain.mappings.filter((m) => m.apiMappingId !== mapping.apiMappingId)
  await putDomain(c, { ...domain, mappings })
  await committed(
    c,
    'DeleteApiMapping',
    `/v2/domainnames/${domain.domainName}/apimappings/${mapping.apiMappingId}`
  )
  return c.body(null, 204)
})
