import { describe, expect, it } from 'vitest'
import { admin, createHttpApi, createIntegration, expectError } from './helpers'

describe('v2 integrations', () => {
  it('creates, gets, lists, updates and deletes an HTTP_PROXY integration', async () => {
    const apiId = await createHttpApi()
    const input = {
      integrationType: 'HTTP_PROXY',
      integrationUri: 'https://example.com/pets',
      integrationMethod: 'GET',
      payloadFormatVersion: '1.0',
      timeoutInMillis: 5000,
      connectionType: 'INTERNET',
      requestParameters: { 'append:header.x-from': 'gateway' },
      responseParameters: { '404': { 'overwrite:statuscode': '410' } },
    }
    const created = await admin('POST', `/v2/apis/${apiId}/integrations`, input)
    expect(created.status).toBe(201)
    const id: string = created.json.integrationId
    expect(created.json).toEqual({ integrationId: id, ...input })
    expect((await admin('GET', `/v2/apis/${apiId}/integrations/${id}`)).json).toEqual(created.json)
    expect((await admin('GET', `/v2/apis/${apiId}/integrations`)).json.items).toEqual([
      created.json,
    ])
    const updated = await admin('PATCH', `/v2/apis/${apiId}/integrations/${id}`, {
      timeoutInMillis: 1000,
    })
    expect(updated.json).toMatchObject({ timeoutInMillis: 1000, integrationMethod: 'GET' })
    expect((await admin('DELETE', `/v2/apis/${apiId}/integrations/${id}`)).status).toBe(204)
    expectError(
      await admin('GET', `/v2/apis/${apiId}/integrations/${id}`),
      404,
      'NotFoundException'
    )
  })

  it('stores AWS_PROXY with a Lambda ARN as a WORKER service binding', async () => {
    const apiId = await createHttpApi()
    const created = await admin('POST', `/v2/apis/${apiId}/integrations`, {
      integrationType: 'AWS_PROXY',
      integrationUri:
        'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:demoBackend/invocations',
      payloadFormatVersion: '2.0',
    })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({
      integrationType: 'WORKER',
      integrationUri: 'worker://DEMO_BACKEND',
      payloadFormatVersion: '2.0',
    })
    expectError(
      await admin('POST', `/v2/apis/${apiId}/integrations`, {
        integrationType: 'AWS_PROXY',
        integrationUri: 'https://example.com',
      }),
      400,
      'BadRequestException',
      /Lambda function ARN/
    )
  })

  it('creates WORKER and MOCK integrations', async () => {
    const apiId = await createHttpApi()
    const worker = await admin('POST', `/v2/apis/${apiId}/integrations`, {
      integrationType: 'WORKER',
      integrationUri: 'worker://DEMO_BACKEND',
    })
    expect(worker.status).toBe(201)
    const mock = await admin('POST', `/v2/apis/${apiId}/integrations`, {
      integrationType: 'MOCK',
      mockResponse: { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'hi' },
    })
    expect(mock.status).toBe(201)
    expect(mock.json).toMatchObject({
      integrationType: 'MOCK',
      mockResponse: { statusCode: 200, body: 'hi' },
    })
    expect(mock.json.integrationUri).toBeUndefined()
  })

  it('refuses to delete an integration a route targets with 409 ConflictException', async () => {
    const apiId = await createHttpApi()
    const id = await createIntegration(apiId)
    await admin('POST', `/v2/apis/${apiId}/routes`, {
      routeKey: 'GET /x',
      target: `integrations/${id}`,
    })
    expectError(
      await admin('DELETE', `/v2/apis/${apiId}/integrations/${id}`),
      409,
      'ConflictException',
      /GET \/x/
    )
    expect((await admin('GET', `/v2/apis/${apiId}/integrations/${id}`)).status).toBe(200)
  })

  it.each([
    [{}, /'integrationType' is required/],
    [{ integrationType: 'AWS' }, /'integrationType' must be one of/],
    [{ integrationType: 'HTTP_PROXY' }, /'integrationUri' is required/],
    [
      { integrationType: 'HTTP_PROXY', integrationUri: 'https://e.com', timeoutInMillis: 'x' },
      /'timeoutInMillis' must be an integer/,
    ],
    [
      {
        integrationType: 'HTTP_PROXY',
        integrationUri: 'https://e.com',
        payloadFormatVersion: '3.0',
      },
      /'payloadFormatVersion' must be one of/,
    ],
    [
      {
        integrationType: 'HTTP_PROXY',
        integrationUri: 'https://e.com',
        connectionType: 'VPC_LINK',
      },
      /'connectionType'/,
    ],
    [
      { integrationType: 'HTTP_PROXY', integrationUri: 'https://e.com', credentialsArn: 'arn:x' },
      /Unsupported field 'credentialsArn'/,
    ],
    [
      {
        integrationType: 'HTTP_PROXY',
        integrationUri: 'https://e.com',
        responseParameters: { '200': { 'overwrite:statuscode': 1 } },
      },
      /'responseParameters\.200\.overwrite:statuscode' must be a string/,
    ],
  ])('refuses CreateIntegration %j', async (body, pattern) => {
    const apiId = await createHttpApi()
    expectError(
      await admin('POST', `/v2/apis/${apiId}/integrations`, body),
      400,
      'BadRequestException',
      pattern
    )
  })

  it.each([
    'http://169.254.169.254/latest/meta-data',
    'http://127.0.0.1:8080/',
    'http://10.0.0.1/',
    'http://user:pass@example.com/',
  ])('refuses the SSRF upstream %s with a 400 naming the integration path', async (uri) => {
    const apiId = await createHttpApi()
    const reply = await admin('POST', `/v2/apis/${apiId}/integrations`, {
      integrationType: 'HTTP_PROXY',
      integrationUri: uri,
    })
    expectError(reply, 400, 'BadRequestException', /\/integrations\/0/)
    expect((await admin('GET', `/v2/apis/${apiId}/integrations`)).json.items).toEqual([])
  })

  it('admits a loopback upstream only when the API allows loopback upstreams', async () => {
    const apiId = await createHttpApi({ allowLoopbackUpstreams: true })
    const reply = await admin('POST', `/v2/apis/${apiId}/integrations`, {
      integrationType: 'HTTP_PROXY',
      integrationUri: 'http://127.0.0.1:8080/x',
    })
    expect(reply.status).toBe(201)
  })
})
