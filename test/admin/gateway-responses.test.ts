import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { admin, awsError, importApi } from './helpers'

interface GatewayResponseOut {
  responseType: string
  statusCode?: string
  defaultResponse: boolean
  responseParameters: Record<string, string>
  responseTemplates: Record<string, string>
}

describe('gateway responses', () => {
  it('lists every type with AWS defaults', async () => {
    const apiId = await importApi()
    const list: { item: GatewayResponseOut[] } = await (
      await admin('GET', `/restapis/${apiId}/gatewayresponses`)
    ).json()
    const throttled = list.item.find((r) => r.responseType === 'THROTTLED')
    expect(throttled).toMatchObject({ statusCode: '429', defaultResponse: true })
    expect(list.item.find((r) => r.responseType === 'DEFAULT_4XX')?.statusCode).toBeUndefined()
  })

  it('customizes, reads back and resets a response', async () => {
    const apiId = await importApi()
    const put = await admin(
      'PUT',
      `/restapis/${apiId}/gatewayresponses/MISSING_AUTHENTICATION_TOKEN`,
      {
        statusCode: '404',
        responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
        responseTemplates: { 'application/json': '{"message":"nothing here"}' },
      }
    )
    expect(put.status).toBe(201)
    const got: GatewayResponseOut = await (
      await admin('GET', `/restapis/${apiId}/gatewayresponses/MISSING_AUTHENTICATION_TOKEN`)
    ).json()
    expect(got).toEqual({
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
      statusCode: '404',
      defaultResponse: false,
      responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
      responseTemplates: { 'application/json': '{"message":"nothing here"}' },
    })
    const stored: { gatewayResponses?: Record<string, unknown> } | null = await env.ROUTES.get(
      `api/${apiId}`,
      'json'
    )
    expect(stored?.gatewayResponses?.MISSING_AUTHENTICATION_TOKEN).toEqual({
      statusCode: 404,
      responseParameters: { 'Access-Control-Allow-Origin': '*' },
      responseTemplates: { 'application/json': '{"message":"nothing here"}' },
    })
    expect(
      (await admin('DELETE', `/restapis/${apiId}/gatewayresponses/MISSING_AUTHENTICATION_TOKEN`))
        .status
    ).toBe(202)
    const reset: GatewayResponseOut = await (
      await admin('GET', `/restapis/${apiId}/gatewayresponses/MISSING_AUTHENTICATION_TOKEN`)
    ).json()
    expect(reset).toMatchObject({ defaultResponse: true, statusCode: '403' })
  })

  it('refuses unknown types, bad statuses and non-literal header values', async () => {
    const apiId = await importApi()
    expect((await admin('GET', `/restapis/${apiId}/gatewayresponses/NOPE`)).status).toBe(404)
    const bad = [
      { statusCode: '99' },
      { responseParameters: { 'gatewayresponse.header.X': 'method.request.header.y' } },
      { responseParameters: { 'method.response.header.X': "'a'" } },
      { responseTemplates: { 'application/json': 5 } },
    ]
    for (const body of bad) {
      const e = await awsError(
        await admin('PUT', `/restapis/${apiId}/gatewayresponses/THROTTLED`, body)
      )
      expect(e.status).toBe(400)
    }
  })

  it('answers 404 when resetting a response that is not customized', async () => {
    const apiId = await importApi()
    expect((await admin('DELETE', `/restapis/${apiId}/gatewayresponses/THROTTLED`)).status).toBe(
      404
    )
  })
})
