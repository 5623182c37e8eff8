/** Valid config documents for the config tests; each call returns a fresh copy to mutate. */
import type {
  ApiConfig,
  DeploymentConfig,
  DomainNameConfig,
  StageConfig,
} from '../../src/config/types'

export const API_ID = 'abc123defg'
export const CREATED = '2026-01-02T03:04:05Z'

export function validApi(): ApiConfig {
  return {
    schemaVersion: 1,
    id: API_ID,
    name: 'pets',
    protocolType: 'HTTP',
    createdDate: CREATED,
    routeSelectionExpression: '$request.method $request.path',
    routes: [
      { id: 'r1get', routeKey: 'GET /pets/{petId}', integrationId: 'i1http' },
      { id: 'r2any', routeKey: 'ANY /files/{proxy+}', integrationId: 'i2worker' },
      { id: 'r3def', routeKey: '$default', integrationId: 'i3mock' },
    ],
    integrations: [
      {
        id: 'i1http',
        type: 'HTTP_PROXY',
        integrationUri: 'https://api.example.com/pets/{petId}',
        timeoutInMillis: 29000,
      },
      { id: 'i2worker', type: 'WORKER', integrationUri: 'worker://DEMO_BACKEND' },
      { id: 'i3mock', type: 'MOCK', mockResponse: { statusCode: 200, body: '{"ok":true}' } },
    ],
  }
}

export function validDeployment(): DeploymentConfig {
  return { schemaVersion: 1, id: 'dep001', apiId: API_ID, createdDate: CREATED, api: validApi() }
}

export function validStage(): StageConfig {
  return {
    schemaVersion: 1,
    apiId: API_ID,
    stageName: 'prod',
    deploymentId: 'dep001',
    variables: { backend: 'api.example.com', version: 'v1' },
    createdDate: CREATED,
    lastUpdatedDate: CREATED,
  }
}

export function validDomain(): DomainNameConfig {
  return {
    schemaVersion: 1,
    domainName: 'api.example.com',
    createdDate: CREATED,
    mappings: [
      { apiMappingId: 'm1', apiId: API_ID, stage: 'prod', apiMappingKey: '' },
      { apiMappingId: 'm2', apiId: API_ID, stage: 'dev', apiMappingKey: 'v1/orders' },
    ],
  }
}

/** Deep copy through JSON, as a document read back from KV would be. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/** The issues of a failed result; fails the test when the result is ok. */
export function issuesOf(
  result: { ok: true } | { ok: false; error: { path: string; message: string }[] }
) {
  if (result.ok) throw new Error('expected the document to be refused')
  return result.error
}
