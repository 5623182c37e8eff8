/**
 * apigatewayv2 custom domain names: `/v2/domainnames[/{domainName}]`, stored as
 * `DomainNameConfig` (KV `domain/{name}`). Exact names or one leading wildcard label
 * (`*.example.com`). Names that would capture the admin host or execute-api hosts are refused.
 * TLS is the Cloudflare zone's: `domainNameConfigurations` (certificates) are accepted and ignored.
 */
import { Hono } from 'hono'
import { MAX_DOMAIN_NAME_LENGTH } from '../../config/limits'
import type { DomainNameConfig } from '../../config/types'
import type { GatewayEnv } from '../../env'
import { configStore, KV_KEYS } from '../../storage/config-store'
import { badRequest, conflict, notFound } from '../errors'
import { paginate } from './paging'
import { compact, readBody } from './parse'
import { committed, findDomain, listDomains, nowIso, putDomain, type V2Context } from './store'
import { domainToWire } from './wire-stage'

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/

/** Why `name` (lower-cased) cannot be a custom domain here, or undefined. */
function domainProblem(c: V2Context, name: string): string | undefined {
  if (name.length > MAX_DOMAIN_NAME_LENGTH) return 'the name is too long'
  const labels = name.split('.')
  const rest = labels[0] === '*' ? labels.slice(1) : labels
  if (rest.length < 2 || !rest.every((l) => LABEL.test(l))) {
    return 'expected a DNS name such as api.example.com, or *.example.com'
  }
  // The admin plane and the execute-api hosts are chosen by Host: a domain must not shadow them.
  const reserved = [c.env.ADMIN_HOSTNAME.toLowerCase(), c.env.EXECUTE_API_DOMAIN.toLowerCase()]
  const base = rest.join('.')
  for (const host of reserved) {
    const covers = labels[0] === '*' ? host.endsWith(`.${base}`) || host === base : host === name
    if (covers || name.endsWith(`.${host}`)) return `it would capture the reserved host ${host}`
  }
  return undefined
}

/** The domain named by the path (case-insensitive, as DNS), or 404. */
export async function loadDomain(c: V2Context, name: string): Promise<DomainNameConfig> {
  const domain = await findDomain(c, name.toLowerCase())
  return domain ?? notFound(`The domain name resource specified in the request was not found`)
}

/** Domain names of the v2 API surface; mounted under `/domainnames`. */
export const domainNameRoutes = new Hono<GatewayEnv>()

domainNameRoutes.post('/', async (c) => {
  const f = await readBody(c)
  const domainName = f.requiredStr('domainName').toLowerCase()
  const tags = f.strMap('tags')
  // Certificates and endpoint types are Cloudflare's concern; routing mode has one value here.
  f.ignore('domainNameConfigurations')
  f.oneOf('routingMode', ['API_MAPPING_ONLY'] as const)
  f.done()
  const problem = domainProblem(c, domainName)
  if (problem !== undefined) badRequest(`Invalid 'domainName' '${domainName}': ${problem}`)
  if ((await findDomain(c, domainName)) !== undefined) {
    conflict(`The domain name resource already exists: ${domainName}`)
  }
  const domain: DomainNameConfig = {
    schemaVersion: 1,
    domainName,
    createdDate: nowIso(),
    mappings: [],
    ...compact({ tags }),
  }
  const saved = await putDomain(c, domain)
  await committed(c, 'CreateDomainName', `/v2/domainnames/${domainName}`)
  return c.json(domainToWire(saved), 201)
})

domainNameRoutes.get('/', async (c) => {
  const page = paginate(await listDomains(c), (d) => d.domainName, c.req.query())
  return c.json({ items: page.items.map(domainToWire), ...compact({ nextToken: page.nextToken }) })
})

domainNameRoutes.get('/:domainName', async (c) => {
  return c.json(domainToWire(await loadDomain(c, c.req.param('domainName'))))
})

domainNameRoutes.delete('/:domainName', async (c) => {
  const domain = await loadDomain(c, c.req.param('domainName'))
  await configStore.deleteKey(c.env.ROUTES, KV_KEYS.domain(domain.domainName))
  await committed(c, 'DeleteDomainName', `/v2/domainnames/${domain.domainName}`)
  return c.body(null, 204)
})
