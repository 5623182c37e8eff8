/** A REST API with request validators and models, seeded into KV, for the validate tests. */
import type { ModelConfig, RequestValidatorConfig, RouteConfig } from '../../../src/config/types'
import { dataPlane, seedApi, type Seeded } from '../../support/seed'
import { ECHO } from '../support'

export const MODELS: ModelConfig[] = [
  {
    id: 'm1',
    name: 'Pet',
    contentType: 'application/json',
    schema: {
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: '^[A-Za-z ]{1,40}$' },
        age: { type: 'integer', minimum: 0 },
        tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
      },
    },
  },
  {
    id: 'm2',
    name: 'Proto',
    contentType: 'application/json',
    // Parsed, as the loader does: `__proto__` is then an own key, not the literal's prototype.
    schema: JSON.parse(
      '{"type":"object","properties":{"__proto__":{"type":"object"},"constructor":{"type":"number"}},"required":["constructor"]}'
    ) as Record<string, unknown>,
  },
  { id: 'm3', name: 'Anything', contentType: 'application/json', schema: {} },
  {
    id: 'm4',
    name: 'Closed',
    contentType: 'application/json',
    schema: {
      type: 'object',
      properties: { n: { type: 'number', maximum: 10 } },
      patternProperties: { '^x-': { type: 'integer' } },
      additionalProperties: false,
    },
  },
]

export const VALIDATORS: RequestValidatorConfig[] = [
  { id: 'v1', name: 'all', validateRequestBody: true, validateRequestParameters: true },
  { id: 'v2', name: 'params', validateRequestParameters: true },
  { id: 'v3', name: 'body', validateRequestBody: true },
]

const route = (id: string, routeKey: string, extra: Partial<RouteConfig>): RouteConfig => ({
  id,
  routeKey,
  integrationId: 'echo',
  ...extra,
})

export const ROUTES: RouteConfig[] = [
  route('r1', 'POST /pets', {
    requestValidatorId: 'v1',
    requestParameters: {
      'method.request.querystring.q': true,
      'method.request.header.x-h': true,
      'method.request.querystring.optional': false,
    },
    requestModels: { 'application/json': 'Pet' },
  }),
  route('r2', 'GET /search', {
    requestValidatorId: 'v2',
    requestParameters: {
      'method.request.multivaluequerystring.tag': true,
      'method.request.header.x-h': true,
    },
  }),
  route('r3', 'POST /any', { requestValidatorId: 'v3', requestModels: { $default: 'Pet' } }),
  route('r4', 'POST /proto', {
    requestValidatorId: 'v3',
    requestModels: { 'application/json': 'Proto' },
  }),
  route('r5', 'POST /free', {
    requestValidatorId: 'v3',
    requestModels: { 'application/json': 'Anything' },
  }),
  route('r6', 'GET /items/{id}', {
    requestValidatorId: 'v2',
    requestParameters: { 'method.request.path.id': true },
  }),
  route('r8', 'POST /closed', {
    requestValidatorId: 'v3',
    requestModels: { 'application/json': 'Closed' },
  }),
  // Parameters are declared but the validator checks only the body: they are not enforced.
  route('r7', 'POST /body-only', {
    requestValidatorId: 'v3',
    requestParameters: { 'method.request.querystring.q': true },
    requestModels: { 'application/json': 'Anything' },
  }),
]

export function seedValidatedApi(extra: { routes?: RouteConfig[]; models?: ModelConfig[] } = {}) {
  return seedApi({
    routes: [...ROUTES, ...(extra.routes ?? [])],
    integrations: [ECHO],
    apiExtras: { models: [...MODELS, ...(extra.models ?? [])], requestValidators: VALIDATORS },
  })
}

export interface Echo {
  method: string
  body: string
  headers: Record<string, string>
}

/** A POST of `body` (a string, sent as is) to `path`. */
export function post(
  api: Seeded,
  path: string,
  body: BodyInit | null,
  headers: Record<string, string> = {}
): Promise<Response> {
  return dataPlane(api.host, path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-h': 'h', ...headers },
  })
}
