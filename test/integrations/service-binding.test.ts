import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { GatewayBindings } from '../../src/env'
import { lambdaInvokeUrl, serviceBinding } from '../../src/integrations/service-binding'

const bindings = env as GatewayBindings

describe('serviceBinding', () => {
  it('returns a configured service binding that answers fetch', async () => {
    const backend = serviceBinding(bindings, 'DEMO_BACKEND')
    expect(backend).toBeDefined()
    const response = await backend?.fetch(lambdaInvokeUrl('DEMO_BACKEND'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ httpMethod: 'GET', path: '/', headers: {} }),
    })
    expect(response?.status).toBe(200)
  })

  it('refuses a binding that exists but is not a service binding (a KV namespace)', () => {
    expect(bindings.ROUTES).toBeDefined()
    expect(serviceBinding(bindings, 'ROUTES')).toBeUndefined()
  })

  it('refuses a plain value and an unknown name', () => {
    expect(serviceBinding({ ...bindings, NAMED_VALUE: 'text' }, 'NAMED_VALUE')).toBeUndefined()
    expect(serviceBinding(bindings, 'NO_SUCH_BINDING')).toBeUndefined()
  })
})

describe('lambdaInvokeUrl', () => {
  it('is the Lambda Invoke API path of the function named by the binding', () => {
    expect(lambdaInvokeUrl('ORDERS')).toBe(
      'https://lambda.portico.invalid/2015-03-31/functions/ORDERS/invocations'
    )
  })
})
