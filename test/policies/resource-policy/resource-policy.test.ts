import { describe, expect, it } from 'vitest'
import type { ApiConfig, ResourcePolicyConfig, RouteConfig } from '../../../src/config/types'
import { validateApiConfig } from '../../../src/config/validate'
import { issuesOf, validApi } from '../../config/fixtures'
import { dataPlane, seedApi } from '../../support/seed'
import { ECHO, hits } from '../support'

function route(id: string, routeKey: string, resourcePolicy?: ResourcePolicyConfig): RouteConfig {
  return { id, routeKey, integrationId: 'echo', ...(resourcePolicy ? { resourcePolicy } : {}) }
}

async function seed(apiPolicy: ResourcePolicyConfig | undefined, routes: RouteConfig[]) {
  return seedApi({
    routes,
    integrations: [ECHO],
    ...(apiPolicy ? { apiExtras: { resourcePolicy: apiPolicy } } : {}),
  })
}

function call(
  host: string,
  path: string,
  ip: string,
  tag: string,
  extra: Record<string, string> = {}
) {
  return dataPlane(host, path, {
    headers: { 'cf-connecting-ip': ip, 'x-test-tag': tag, ...extra },
  })
}

/** The response to `pending` has `status`; its body is drained. */
async function expectStatus(status: number, pending: Promise<Response>): Promise<void> {
  const res = await pending
  expect(res.status).toBe(status)
  await res.arrayBuffer()
}

async function expectDenied(res: Response, apiId: string, resource: string): Promise<void> {
  expect(res.status).toBe(403)
  expect(res.headers.get('x-amzn-ErrorType')).toBe('AccessDeniedException')
  expect(await res.json()).toEqual({
    message: `User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:portico:000000000000:${apiId}/dev/${resource}`,
  })
}

describe('IP resource policies on the data plane', () => {
  it('lets an allowed IPv4 and IPv6 client through to the upstream', async () => {
    const { host } = await seed({ sourceIpAllow: ['198.51.100.0/24', '2001:db8::/32'] }, [
      route('r1', 'GET /pets'),
    ])
    const tag = crypto.randomUUID()
    await expectStatus(200, call(host, '/dev/pets', '198.51.100.7', tag))
    await expectStatus(200, call(host, '/dev/pets', '2001:db8::42', tag))
    await expectStatus(200, call(host, '/dev/pets', '::ffff:198.51.100.9', tag))
    expect(await hits(tag)).toBe(3)
  })

  it('answers 403 ACCESS_DENIED with zero upstream calls for an IP outside the allow list', async () => {
    const { host, apiId } = await seed({ sourceIpAllow: ['198.51.100.0/24'] }, [
      route('r1', 'GET /pets/{id}'),
    ])
    const tag = crypto.randomUUID()
    await expectDenied(await call(host, '/dev/pets/7', '203.0.113.5', tag), apiId, 'GET/pets/{id}')
    await expectDenied(await call(host, '/dev/pets/7', '2001:db8::1', tag), apiId, 'GET/pets/{id}')
    expect(await hits(tag)).toBe(0)
  })

  it('answers 403 with zero upstream calls for a denied IP, deny winning over allow', async () => {
    const { host, apiId } = await seed(
      { sourceIpAllow: ['::/0'], sourceIpDeny: ['203.0.113.0/24', '2001:db8:bad::/48'] },
      [route('r1', 'GET /pets')]
    )
    const tag = crypto.randomUUID()
    await expectDenied(await call(host, '/dev/pets', '203.0.113.9', tag), apiId, 'GET/pets')
    await expectDenied(await call(host, '/dev/pets', '::ffff:203.0.113.9', tag), apiId, 'GET/pets')
    await expectDenied(await call(host, '/dev/pets', '2001:db8:bad::1', tag), apiId, 'GET/pets')
    expect(await hits(tag)).toBe(0)
    await expectStatus(200, call(host, '/dev/pets', '2001:db8:600d::1', tag))
    expect(await hits(tag)).toBe(1)
  })

  it('applies a route-level deny on top of the API allow list, and only on that route', async () => {
    const { host, apiId } = await seed({ sourceIpAllow: ['10.0.0.0/8'] }, [
      route('open', 'GET /pets'),
      route('admin', 'GET /admin', { sourceIpDeny: ['10.66.0.0/16'] }),
    ])
    const tag = crypto.randomUUID()
    await expectDenied(await call(host, '/dev/admin', '10.66.1.1', tag), apiId, 'GET/admin')
    await expectStatus(200, call(host, '/dev/pets', '10.66.1.1', tag))
    await expectStatus(200, call(host, '/dev/admin', '10.1.1.1', tag))
    await expectDenied(await call(host, '/dev/admin', '192.0.2.1', tag), apiId, 'GET/admin')
    expect(await hits(tag)).toBe(2)
  })

  it('adds a route-level allow list to the API allow list', async () => {
    const { host } = await seed({ sourceIpAllow: ['10.0.0.0/8'] }, [
      route('r1', 'GET /partner', { sourceIpAllow: ['192.0.2.10'] }),
      route('r2', 'GET /pets'),
    ])
    const tag = crypto.randomUUID()
    await expectStatus(200, call(host, '/dev/partner', '192.0.2.10', tag))
    await expectStatus(403, call(host, '/dev/pets', '192.0.2.10', tag))
    expect(await hits(tag)).toBe(1)
  })

  it('leaves routes without any list alone', async () => {
    const { host } = await seed(undefined, [
      route('r1', 'GET /pets'),
      route('r2', 'GET /locked', { sourceIpAllow: [] }),
    ])
    const tag = crypto.randomUUID()
    await expectStatus(200, call(host, '/dev/pets', '203.0.113.1', tag))
    await expectStatus(403, call(host, '/dev/locked', '203.0.113.1', tag))
    expect(await hits(tag)).toBe(1)
  })

  const SPOOFS: Record<string, string>[] = [
    { 'x-forwarded-for': '10.1.2.3' },
    { 'x-forwarded-for': '10.1.2.3, 203.0.113.5' },
    { 'x-real-ip': '10.1.2.3' },
    { 'true-client-ip': '10.1.2.3' },
    { forwarded: 'for=10.1.2.3' },
    {
      'x-client-ip': '10.1.2.3',
      'x-originating-ip': '10.1.2.3',
      'x-cluster-client-ip': '10.1.2.3',
    },
  ]

  it.each(SPOOFS)(
    'ignores spoofed client-IP headers to get past an allow list (%j)',
    async (spoof) => {
      const { host, apiId } = await seed({ sourceIpAllow: ['10.0.0.0/8'] }, [
        route('r1', 'GET /pets'),
      ])
      const tag = crypto.randomUUID()
      await expectDenied(
        await call(host, '/dev/pets', '203.0.113.5', tag, spoof),
        apiId,
        'GET/pets'
      )
      expect(await hits(tag)).toBe(0)
    }
  )

  it.each(SPOOFS)('ignores spoofed client-IP headers to dodge a deny list (%j)', async (spoof) => {
    const { host, apiId } = await seed({ sourceIpDeny: ['10.0.0.0/8'] }, [route('r1', 'GET /pets')])
    const tag = crypto.randomUUID()
    const spoofed = Object.fromEntries(Object.entries(spoof).map(([k]) => [k, '198.51.100.1']))
    await expectDenied(await call(host, '/dev/pets', '10.9.9.9', tag, spoofed), apiId, 'GET/pets')
    // And a denied-looking spoof does not lock out an allowed caller either.
    await expectStatus(200, call(host, '/dev/pets', '198.51.100.1', tag, spoof))
    expect(await hits(tag)).toBe(1)
  })

  it('runs before the API-key check: a denied IP with no key is 403 ACCESS_DENIED, not INVALID_API_KEY', async () => {
    const { host, apiId } = await seed({ sourceIpDeny: ['203.0.113.0/24'] }, [
      { ...route('r1', 'GET /pets'), apiKeyRequired: true },
    ])
    const tag = crypto.randomUUID()
    await expectDenied(await call(host, '/dev/pets', '203.0.113.5', tag), apiId, 'GET/pets')
    expect(await hits(tag)).toBe(0)
  })

  it('fails closed (500, zero upstream calls) on a route-level list written around validation', async () => {
    const { host } = await seed(undefined, [
      route('r1', 'GET /pets', { sourceIpAllow: ['10.0.0.1/8'] }),
      route('r2', 'GET /other'),
    ])
    const tag = crypto.randomUUID()
    await expectStatus(500, call(host, '/dev/pets', '10.0.0.1', tag))
    await expectStatus(200, call(host, '/dev/other', '10.0.0.1', tag))
    expect(await hits(tag)).toBe(1)
  })
})

describe('validateApiConfig: resource policies', () => {
  function withPolicies(api: ResourcePolicyConfig, r1: ResourcePolicyConfig): ApiConfig {
    const config = validApi()
    config.resourcePolicy = api
    const first = config.routes[0]
    if (first) first.resourcePolicy = r1
    return config
  }

  it('accepts addresses and CIDR blocks in both families', () => {
    const api = withPolicies(
      { sourceIpAllow: ['10.0.0.0/8', '192.0.2.1', '0.0.0.0/0'], sourceIpDeny: ['::/0'] },
      { sourceIpAllow: ['2001:db8::/32', '::ffff:10.0.0.0/104', '::1'], sourceIpDeny: [] }
    )
    expect(validateApiConfig(api).ok).toBe(true)
  })

  it('refuses invalid CIDRs at write, naming the path of each', () => {
    const api = withPolicies(
      { sourceIpAllow: ['10.0.0.0/8', '10.0.0.0/33'], sourceIpDeny: ['1.2.3'] },
      { sourceIpDeny: ['2001:db8::1/32', '::/0'], sourceIpAllow: ['1:2:3:4:5:6:7:8:9'] }
    )
    expect(issuesOf(validateApiConfig(api))).toEqual([
      {
        path: '/routes/0/resourcePolicy/sourceIpAllow/0',
        message:
          '"1:2:3:4:5:6:7:8:9" is not an IP address or CIDR block: IPv6 address is not valid',
      },
      {
        path: '/routes/0/resourcePolicy/sourceIpDeny/0',
        message:
          '"2001:db8::1/32" is not an IP address or CIDR block: has bits set after the prefix length (use the network address)',
      },
      {
        path: '/resourcePolicy/sourceIpAllow/1',
        message:
          '"10.0.0.0/33" is not an IP address or CIDR block: prefix length must be a number from 0 to 32',
      },
      {
        path: '/resourcePolicy/sourceIpDeny/0',
        message: '"1.2.3" is not an IP address or CIDR block: IPv4 address is not valid',
      },
    ])
  })

  it('refuses by schema what is not even CIDR text, and more than 100 entries', () => {
    const api = withPolicies(
      { sourceIpAllow: Array.from({ length: 101 }, (_, i) => `10.0.0.${String(i)}`) },
      { sourceIpDeny: ['10.0.0.0/8 ', 'evil.example.com'] }
    )
    const paths = issuesOf(validateApiConfig(api)).map((i) => i.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        '/resourcePolicy/sourceIpAllow',
        '/routes/0/resourcePolicy/sourceIpDeny/0',
        '/routes/0/resourcePolicy/sourceIpDeny/1',
      ])
    )
  })

  it('refuses unknown keys in a resource policy', () => {
    const api = validApi()
    Object.assign(api, { resourcePolicy: { sourceIpAllow: ['10.0.0.0/8'], sourceVpc: ['vpc-1'] } })
    expect(validateApiConfig(api).ok).toBe(false)
  })
})
