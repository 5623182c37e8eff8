/**
 * CORS end to end: an HTTP API configured through `@aws-sdk/client-apigatewayv2` (UpdateApi's
 * `CorsConfiguration`), served by `wrangler dev`, called over real HTTP with browser-shaped
 * preflights and actual requests.
 */
import {
  BadRequestException,
  CreateStageCommand,
  DeleteApiCommand,
  ImportApiCommand,
  UpdateApiCommand,
} from '@aws-sdk/client-apigatewayv2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi, gateway, uniqueTag, upstreamHits } from './harness'
import { httpApiClient } from './support/aws-clients'

const APP = 'https://app.example.com'
const client = httpApiClient()
let apiId = ''

function definition(): string {
  const uri = `http://127.0.0.1:${String(gateway().upstreamPort)}/echo/hello`
  const integration = { type: 'http_proxy', httpMethod: 'ANY', uri, payloadFormatVersion: '1.0' }
  const op = {
    responses: { '200': { description: 'ok' } },
    'x-amazon-apigateway-integration': integration,
  }
  return JSON.stringify({
    openapi: '3.0.1',
    info: { title: 'e2e-cors', version: '1' },
    'x-portico-allow-loopback-upstreams': true,
    paths: { '/hello': { get: op, options: op } },
  })
}

beforeAll(async () => {
  const imported = await client.send(new ImportApiCommand({ Body: definition() }))
  apiId = imported.ApiId ?? ''
  await client.send(
    new UpdateApiCommand({
      ApiId: apiId,
      CorsConfiguration: {
        AllowOrigins: [APP],
        AllowMethods: ['GET', 'POST'],
        AllowHeaders: ['content-type', 'authorization'],
        ExposeHeaders: ['x-trace'],
        MaxAge: 300,
        AllowCredentials: true,
      },
    })
  )
  await client.send(
    new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true })
  )
})

afterAll(async () => {
  await client.send(new DeleteApiCommand({ ApiId: apiId })).catch(() => undefined)
  client.destroy()
})

function preflight(origin: string, method: string, tag: string, requested?: string) {
  return callApi(apiId, '/hello', {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      'x-test-tag': tag,
      ...(requested === undefined ? {} : { 'access-control-request-headers': requested }),
    },
  })
}

describe('CORS over real HTTP', () => {
  it('answers an allowed preflight itself: 204, exact origin, credentials, no upstream call', async () => {
    const tag = uniqueTag('cors')
    const res = await preflight(APP, 'POST', tag, 'Content-Type')
    expect(res.status).toBe(204)
    expect(res.headers['access-control-allow-origin']).toBe(APP)
    expect(res.headers['access-control-allow-credentials']).toBe('true')
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST')
    expect(res.headers['access-control-allow-headers']).toBe('content-type, authorization')
    expect(res.headers['access-control-max-age']).toBe('300')
    expect(res.headers.vary).toBe(
      'Origin, Access-Control-Request-Method, Access-Control-Request-Headers'
    )
    expect(await upstreamHits(tag)).toBe(0)
  })

  it.each(['https://app.example.com.evil.com', 'https://evilapp.example.com', 'null'])(
    'refuses the preflight of %s without allow headers and without an upstream call',
    async (origin) => {
      const tag = uniqueTag('cors')
      const res = await preflight(origin, 'GET', tag)
      expect(res.status).toBe(204)
      expect(res.headers['access-control-allow-origin']).toBeUndefined()
      expect(res.headers['access-control-allow-credentials']).toBeUndefined()
      expect(await upstreamHits(tag)).toBe(0)
    }
  )

  it('adds the headers to an actual request from an allowed origin only', async () => {
    const ok = await callApi(apiId, '/hello', { headers: { origin: APP } })
    expect(ok.status).toBe(200)
    expect(ok.headers['access-control-allow-origin']).toBe(APP)
    expect(ok.headers['access-control-expose-headers']).toBe('x-trace')
    expect(ok.headers.vary).toBe('Origin')
    const evil = await callApi(apiId, '/hello', { headers: { origin: 'https://evil.example' } })
    expect(evil.status).toBe(200)
    expect(evil.headers['access-control-allow-origin']).toBeUndefined()
    expect(evil.headers.vary).toBe('Origin')
  })

  it('adds them to a gateway 404 for an allowed origin', async () => {
    const res = await callApi(apiId, '/nope', { headers: { origin: APP } })
    expect(res.status).toBe(404)
    expect(res.headers['access-control-allow-origin']).toBe(APP)
  })

  it('refuses * with credentials at write time with BadRequestException', async () => {
    const refused = client.send(
      new UpdateApiCommand({
        ApiId: apiId,
        CorsConfiguration: { AllowOrigins: ['*'], AllowCredentials: true },
      })
    )
    await expect(refused).rejects.toBeInstanceOf(BadRequestException)
    await expect(refused).rejects.toThrow(/allowCredentials/)
  })
})
