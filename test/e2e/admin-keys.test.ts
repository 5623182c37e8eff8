/**
 * API keys, usage plans and usage through the official `@aws-sdk/client-api-gateway` against
 * `wrangler dev`: AWS paths, JSON shapes and error classes as the SDK reads them.
 */
import {
  ConflictException,
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteRestApiCommand,
  DeleteUsagePlanCommand,
  GetApiKeyCommand,
  GetUsageCommand,
  GetUsagePlanKeysCommand,
  ImportRestApiCommand,
  NotFoundException,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { restApiClient } from './support/aws-clients'

const client = restApiClient()
const PETS = {
  openapi: '3.0.1',
  info: { title: 'Keys e2e', version: '1.0' },
  paths: {
    '/pets': {
      get: {
        'x-amazon-apigateway-integration': {
          type: 'http_proxy',
          httpMethod: 'GET',
          uri: 'https://example.com/pets',
        },
      },
    },
  },
}
let apiId = ''
let planId = ''
let keyId = ''

beforeAll(async () => {
  const body = new TextEncoder().encode(JSON.stringify(PETS))
  const api = await client.send(new ImportRestApiCommand({ body }))
  apiId = api.id ?? ''
  await client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }))
})

afterAll(async () => {
  if (planId !== '')
    await client.send(new DeleteUsagePlanCommand({ usagePlanId: planId })).catch(() => undefined)
  if (apiId !== '')
    await client.send(new DeleteRestApiCommand({ restApiId: apiId })).catch(() => undefined)
  client.destroy()
})

describe('API keys and usage plans through @aws-sdk/client-api-gateway', () => {
  it('creates a key whose value is returned once', async () => {
    const key = await client.send(new CreateApiKeyCommand({ name: 'e2e', enabled: true }))
    keyId = key.id ?? ''
    expect(key.value).toMatch(/^ptk_[0-9A-Za-z]{46}$/)
    expect(key.enabled).toBe(true)
    expect(key.createdDate).toBeInstanceOf(Date)
    const got = await client.send(new GetApiKeyCommand({ apiKey: keyId }))
    expect(got.value).toBeUndefined()
    expect(got.name).toBe('e2e')
  })

  it('creates a usage plan covering the deployed stage and attaches the key', async () => {
    const plan = await client.send(
      new CreateUsagePlanCommand({
        name: 'e2e plan',
        apiStages: [
          { apiId, stage: 'prod', throttle: { '/pets/GET': { rateLimit: 2, burstLimit: 4 } } },
        ],
        throttle: { rateLimit: 10, burstLimit: 20 },
        quota: { limit: 1000, period: 'MONTH', offset: 0 },
      })
    )
    planId = plan.id ?? ''
    expect(plan.apiStages?.[0]?.throttle?.['/pets/GET']).toEqual({ rateLimit: 2, burstLimit: 4 })
    expect(plan.quota).toEqual({ limit: 1000, period: 'MONTH', offset: 0 })
    const link = await client.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId, keyType: 'API_KEY' })
    )
    expect(link).toMatchObject({ id: keyId, type: 'API_KEY', name: 'e2e' })
    const keys = await client.send(new GetUsagePlanKeysCommand({ usagePlanId: planId }))
    expect(keys.items?.map((k) => k.id)).toEqual([keyId])
    await expect(
      client.send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId, keyType: 'API_KEY' }))
    ).rejects.toBeInstanceOf(ConflictException)
  })

  it('reads usage in AWS shape', async () => {
    const today = new Date().toISOString().slice(0, 10)
    const usage = await client.send(
      new GetUsageCommand({ usagePlanId: planId, startDate: today, endDate: today })
    )
    expect(usage.usagePlanId).toBe(planId)
    expect(usage.items?.[keyId]).toEqual([[0, 1000]])
  })

  it('disables and then deletes the key', async () => {
    const updated = await client.send(
      new UpdateApiKeyCommand({
        apiKey: keyId,
        patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }],
      })
    )
    expect(updated.enabled).toBe(false)
    await client.send(new DeleteApiKeyCommand({ apiKey: keyId }))
    await expect(client.send(new GetApiKeyCommand({ apiKey: keyId }))).rejects.toBeInstanceOf(
      NotFoundException
    )
  })
})
