import { describe, expect, it } from 'vitest'
import { seedApi } from '../../support/seed'
import { ECHO, flushedUsage, freshIp, hits, insertKey, insertPlan } from '../support'
import { MODELS, post, VALIDATORS } from './fixtures'

describe('validation before throttling', () => {
  it('leaves the key’s quota untouched by requests that fail validation', async () => {
    const api = await seedApi({
      routes: [
        {
          id: 'r1',
          routeKey: 'POST /pets',
          integrationId: 'echo',
          apiKeyRequired: true,
          requestValidatorId: 'v1',
          requestParameters: { 'method.request.querystring.q': true },
          requestModels: { 'application/json': 'Pet' },
        },
      ],
      integrations: [ECHO],
      apiExtras: { models: MODELS, requestValidators: VALIDATORS },
    })
    const planId = await insertPlan({
      quota: { limit: 2, period: 'DAY', offset: 0 },
      apiStages: [{ apiId: api.apiId, stage: 'dev' }],
    })
    const key = await insertKey([planId])
    const tag = crypto.randomUUID()
    const headers = { 'x-api-key': key.value, 'x-test-tag': tag, 'cf-connecting-ip': freshIp() }
    const rejected = [
      await post(api, '/dev/pets', '{"name":"Rex"}', headers), // missing q
      await post(api, '/dev/pets?q=1', '{"age":1}', headers), // body violation
      await post(api, '/dev/pets?q=1', 'not json', headers),
      await post(api, '/dev/pets?q=1', '{}', { ...headers, 'content-type': 'text/plain' }),
      await post(api, '/dev/pets?q=1', '['.repeat(1000), headers),
    ]
    expect(rejected.map((r) => r.status)).toEqual([400, 400, 400, 415, 400])
    await Promise.all(rejected.map((r) => r.arrayBuffer()))
    expect(await flushedUsage(planId, key.id)).toBe(0)

    const admitted = [
      await post(api, '/dev/pets?q=1', '{"name":"Rex"}', headers),
      await post(api, '/dev/pets?q=1', '{"name":"Max"}', headers),
      await post(api, '/dev/pets?q=1', '{"name":"Bo"}', headers),
    ]
    expect(admitted.map((r) => r.status)).toEqual([200, 200, 429])
    await Promise.all(admitted.map((r) => r.arrayBuffer()))
    expect(await hits(tag)).toBe(2)
    expect(await flushedUsage(planId, key.id)).toBe(2)
  })
})
