/** Calls the admin app directly (the entry's host routing is tested by the lead). */
import { createExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { adminApp } from '../../src/admin/index'

export const ADMIN_ORIGIN = 'https://admin.localhost'

/** An admin request with the bearer token; `body` objects are sent as JSON. */
export function admin(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {}
): Promise<Response> {
  const init: RequestInit = {
    method,
    headers: {
      authorization: `Bearer ${env.ADMIN_TOKEN ?? ''}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
  }
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body)
  return Promise.resolve(
    adminApp.request(`${ADMIN_ORIGIN}${path}`, init, env, createExecutionContext())
  )
}

/** Sends a ready-made Request to the admin app with the test bindings (or `bindings`). */
export function send(request: Request, bindings: object = env): Promise<Response> {
  return Promise.resolve(adminApp.request(request, undefined, bindings, createExecutionContext()))
}

/** A small REST API definition with two HTTP_PROXY methods. */
export const PETS_OPENAPI = {
  openapi: '3.0.1',
  info: { title: 'Pets', version: '1.0' },
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
    '/pets/{petId}': {
      get: {
        parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'string' } }],
        'x-amazon-apigateway-integration': {
          type: 'http_proxy',
          httpMethod: 'GET',
          uri: 'https://example.com/pets/{petId}',
          requestParameters: { 'integration.request.path.petId': 'method.request.path.petId' },
        },
      },
    },
  },
}

/** Imports PETS_OPENAPI (or `doc`) and returns the new API's id. */
export async function importApi(doc: unknown = PETS_OPENAPI): Promise<string> {
  const res = await admin('POST', '/restapis?mode=import', doc)
  if (res.status !== 201)
    throw new Error(`import failed: ${String(res.status)} ${await res.text()}`)
  const body: { id: string } = await res.json()
  return body.id
}

/** Creates a deployment (optionally on a stage) and returns its id. */
export async function deploy(apiId: string, input: Record<string, unknown> = {}): Promise<string> {
  const res = await admin('POST', `/restapis/${apiId}/deployments`, input)
  if (res.status !== 201)
    throw new Error(`deploy failed: ${String(res.status)} ${await res.text()}`)
  const body: { id: string } = await res.json()
  return body.id
}

/** Asserts-free read of an AWS error: status, x-amzn-ErrorType and message. */
export async function awsError(
  res: Response
): Promise<{ status: number; type: string | null; message: string }> {
  const body: { message: string } = await res.json()
  return { status: res.status, type: res.headers.get('x-amzn-ErrorType'), message: body.message }
}
