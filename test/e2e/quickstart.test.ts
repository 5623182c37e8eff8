/**
 * The README's quick start, end to end: seed the demo API with the same module `npm start` uses,
 * then call every demo route as the README shows (MOCK, HTTP_PROXY, HTTP, WORKER).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemoUpstream, type DemoUpstream } from '../../demo/upstream.mjs'
import { seedDemo } from '../../scripts/seed-demo.mjs'
import { admin, callApi, gateway } from './harness'

let upstream: DemoUpstream
let apiId: string
let demoKey: string | undefined

beforeAll(async () => {
  upstream = await startDemoUpstream(0)
  const g = gateway()
  const seeded = await seedDemo({
    port: g.port,
    adminHost: g.adminHost,
    adminToken: g.adminToken,
    upstream: `127.0.0.1:${upstream.port}`,
    log: () => undefined,
  })
  apiId = seeded.apiId
  demoKey = seeded.demoKey?.value
})

afterAll(async () => {
  await upstream.close()
})

describe('quick start demo API', () => {
  it('answers GET /dev/health from the gateway itself (MOCK)', async () => {
    const res = await callApi(apiId, '/dev/health')
    expect(res.status).toBe(200)
    expect(res.json()).toEqual({ status: 'ok' })
    expect(res.headers['x-amzn-requestid']).toBeTruthy()
  })

  it('proxies GET /dev/pets to the pets upstream (HTTP_PROXY, stage variable host)', async () => {
    const res = await callApi(apiId, '/dev/pets?type=cat')
    expect(res.status).toBe(200)
    expect(res.headers['x-demo-upstream']).toBe('pets')
    expect(res.json()).toEqual([{ id: 2, type: 'cat', name: 'Tom', price: 124.99 }])
  })

  it('proxies the greedy path /dev/pets/{proxy+} with the method and body', async () => {
    const one = await callApi(apiId, '/dev/pets/1')
    expect(one.status).toBe(200)
    expect(one.json()).toMatchObject({ id: 1, name: 'Rex' })

    const created = await callApi(apiId, '/dev/pets', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'dog', name: 'Ada' }),
    })
    expect(created.status).toBe(201)
    expect(created.json()).toMatchObject({ type: 'dog', name: 'Ada' })

    const missing = await callApi(apiId, '/dev/pets/99')
    expect(missing.status).toBe(404)
    expect(missing.json()).toEqual({ message: 'pet not found' })
  })

  it('maps /dev/store/pets/{petId} onto the upstream /pets/{id} (HTTP with parameter mapping)', async () => {
    const res = await callApi(apiId, '/dev/store/pets/2')
    expect(res.status).toBe(200)
    expect(res.json()).toMatchObject({ id: 2, name: 'Tom' })
  })

  it('runs the Lambda-style demo backend for GET /dev/hello (WORKER, event 1.0)', async () => {
    const res = await callApi(apiId, '/dev/hello?name=Ada')
    expect(res.status).toBe(200)
    expect(res.headers['x-demo-backend']).toBe('lambda-style')
    const body = res.json()
    expect(body).toMatchObject({
      message: 'Hello, Ada!',
      routeKey: 'GET /hello',
      stage: 'dev',
      payloadFormatVersion: '1.0',
      functionName: 'demo-backend',
    })
    expect(body).toHaveProperty('requestId', res.headers['x-amzn-requestid'])
  })

  it('runs the same handler unchanged for an HTTP API with payload format 2.0', async () => {
    const document = {
      openapi: '3.0.1',
      info: { title: 'e2e-quickstart-http-api', version: '1' },
      paths: {
        '/hello': {
          get: {
            responses: { '200': { description: 'ok' } },
            'x-amazon-apigateway-integration': {
              type: 'aws_proxy',
              httpMethod: 'POST',
              uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:demo-backend/invocations',
              payloadFormatVersion: '2.0',
            },
          },
        },
      },
    }
    const imported = await admin('PUT', '/v2/apis', { body: JSON.stringify(document) })
    expect(imported.status).toBe(201)
    const httpApiId = (imported.json() as { apiId: string }).apiId
    const stage = await admin('POST', `/v2/apis/${httpApiId}/stages`, {
      stageName: '$default',
      autoDeploy: true,
    })
    expect(stage.status).toBe(201)

    const res = await callApi(httpApiId, '/hello?name=Bo')
    expect(res.status).toBe(200)
    expect(res.json()).toMatchObject({
      message: 'Hello, Bo!',
      routeKey: 'GET /hello',
      stage: '$default',
      payloadFormatVersion: '2.0',
      requestId: res.headers['apigw-requestid'],
    })
    expect((await admin('DELETE', `/v2/apis/${httpApiId}`)).status).toBe(204)
  })

  it('refuses GET /dev/premium without the demo API key (403 Forbidden)', async () => {
    const res = await callApi(apiId, '/dev/premium')
    expect(res.status).toBe(403)
    expect(res.json()).toEqual({ message: 'Forbidden' })
  })

  it('serves GET /dev/premium with the demo key, then 429s once the plan’s burst of 5 is spent', async () => {
    expect(demoKey).toBeDefined()
    const headers = { 'x-api-key': demoKey ?? '' }
    const statuses: number[] = []
    let limited: Awaited<ReturnType<typeof callApi>> | undefined
    // The plan refills 1 token/s: sequential calls hit the limit long before 20 unless each
    // took over half a second.
    for (let i = 0; i < 20 && limited === undefined; i++) {
      const res = await callApi(apiId, '/dev/premium', { headers })
      statuses.push(res.status)
      if (res.status === 429) limited = res
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200])
    expect(limited?.json()).toEqual({ message: 'Too Many Requests' })
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(limited?.headers['ratelimit-policy']).toBe('"burst";q=5;w=5, "quota";q=100;w=86400')
  })

  it('answers an unknown demo route like AWS (403 Missing Authentication Token)', async () => {
    const res = await callApi(apiId, '/dev/nope')
    expect(res.status).toBe(403)
    expect(res.json()).toEqual({ message: 'Missing Authentication Token' })
  })

  it('lists the demo API on the admin API with the bearer token from .dev.vars', async () => {
    const res = await admin('GET', '/restapis')
    expect(res.status).toBe(200)
    expect(res.json()).toMatchObject({
      item: expect.arrayContaining([expect.objectContaining({ id: apiId, name: 'portico-demo' })]),
    })
  })

  it('reseeds idempotently: a second run updates the same API instead of importing a copy', async () => {
    const g = gateway()
    const again = await seedDemo({
      port: g.port,
      adminHost: g.adminHost,
      adminToken: g.adminToken,
      upstream: `127.0.0.1:${upstream.port}`,
      log: () => undefined,
    })
    expect(again).toMatchObject({ apiId, created: false })
    const list = (await admin('GET', '/restapis')).json() as { item: { name: string }[] }
    expect(list.item.filter((a) => a.name === 'portico-demo')).toHaveLength(1)
    expect((await callApi(apiId, '/dev/health')).status).toBe(200)
  })
})
