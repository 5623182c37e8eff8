import { describe, expect, it } from 'vitest'
import { admin, createHttpApi, expectError } from './helpers'

const CORS = {
  allowOrigins: ['https://app.example.com'],
  allowMethods: ['GET', 'POST'],
  allowHeaders: ['authorization', 'content-type'],
  exposeHeaders: ['x-request-id'],
  maxAge: 600,
  allowCredentials: true,
}

describe('v2 CORS configuration', () => {
  it('takes corsConfiguration on CreateApi and UpdateApi and removes it with DeleteCorsConfiguration', async () => {
    const apiId = await createHttpApi({ corsConfiguration: CORS })
    expect((await admin('GET', `/v2/apis/${apiId}`)).json.corsConfiguration).toEqual(CORS)
    const updated = await admin('PATCH', `/v2/apis/${apiId}`, {
      corsConfiguration: { allowOrigins: ['https://other.example.com'] },
    })
    expect(updated.status).toBe(200)
    expect(updated.json.corsConfiguration).toEqual({ allowOrigins: ['https://other.example.com'] })
    expect((await admin('DELETE', `/v2/apis/${apiId}/cors`)).status).toBe(204)
    expect((await admin('GET', `/v2/apis/${apiId}`)).json.corsConfiguration).toBeUndefined()
  })

  it('refuses corsConfiguration on a WebSocket API', async () => {
    expectError(
      await admin('POST', '/v2/apis', {
        name: 'ws',
        protocolType: 'WEBSOCKET',
        routeSelectionExpression: '$request.body.action',
        corsConfiguration: CORS,
      }),
      400,
      'BadRequestException',
      /only for HTTP APIs/
    )
  })

  it('refuses an unknown CORS field and a malformed value', async () => {
    const apiId = await createHttpApi()
    expectError(
      await admin('PATCH', `/v2/apis/${apiId}`, { corsConfiguration: { allowOrigin: ['x'] } }),
      400,
      'BadRequestException',
      /corsConfiguration.allowOrigin/
    )
    expectError(
      await admin('PATCH', `/v2/apis/${apiId}`, { corsConfiguration: { maxAge: 10 ** 6 } }),
      400,
      'BadRequestException',
      /\/corsConfiguration\/maxAge/
    )
  })
})
