/**
 * The apigatewayv2 admin API driven by the official `@aws-sdk/client-apigatewayv2` against
 * `wrangler dev`: SigV4 as the SDK signs, AWS paths and camelCase JSON, AWS error classes, and
 * the data plane serving what the SDK configured.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import {
  ConflictException,
  CreateApiCommand,
  CreateApiMappingCommand,
  CreateDeploymentCommand,
  CreateDomainNameCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteApiMappingCommand,
  DeleteDomainNameCommand,
  ExportApiCommand,
  GetApiCommand,
  GetApiMappingsCommand,
  GetApisCommand,
  GetRoutesCommand,
  GetStageCommand,
  ImportApiCommand,
  NotFoundException,
  ReimportApiCommand,
} from '@aws-sdk/client-apigatewayv2'
import { afterAll, describe, expect, it } from 'vitest'
import { callApi, gateway } from './harness'
import { httpApiClient } from './support/aws-clients'

const CORPUS = resolve(process.cwd(), '../shared/external/openapi-aws')
const petstore = readFileSync(join(CORPUS, 'awsdocs-http-api-petstore-cors.json'), 'utf8')
const client = httpApiClient()
const created: string[] = []

/** A small HTTP API whose routes reach the loopback upstream (allowed by the extension). */
function upstreamDefinition(): string {
  const uri = `http://127.0.0.1:${String(gateway().upstreamPort)}/echo/hello`
  return JSON.stringify({
    openapi: '3.0.1',
    info: { title: 'e2e-v2', version: '1' },
    'x-portico-allow-loopback-upstreams': true,
    paths: {
      '/hello': {
        get: {
          responses: { '200': { description: 'ok' } },
          'x-amazon-apigateway-integration': {
            type: 'http_proxy',
            httpMethod: 'GET',
            uri,
            payloadFormatVersion: '1.0',
          },
        },
      },
    },
  })
}

afterAll(async () => {
  for (const apiId of created) {
    await client.send(new DeleteApiCommand({ ApiId: apiId })).catch(() => undefined)
  }
  client.destroy()
})

describe('HTTP APIs through @aws-sdk/client-apigatewayv2', () => {
  it('builds an API step by step: CreateApi, CreateIntegration, CreateRoute, CreateStage, CreateDeployment', async () => {
    const api = await client.send(new CreateApiCommand({ Name: 'sdk', ProtocolType: 'HTTP' }))
    const apiId = api.ApiId ?? ''
    created.push(apiId)
    expect(apiId).toMatch(/^[a-z0-9]{10}$/)
    expect(api.CreatedDate).toBeInstanceOf(Date)
    // Scheme and port follow the admin request's Host; the SDK client sends it without a port.
    expect(api.ApiEndpoint).toBe(`http://${apiId}.execute-api.localhost`)
    const integration = await client.send(
      new CreateIntegrationCommand({
        ApiId: apiId,
        IntegrationType: 'HTTP_PROXY',
        IntegrationUri: 'https://example.com/pets',
        IntegrationMethod: 'GET',
        PayloadFormatVersion: '1.0',
      })
    )
    expect(integration.IntegrationType).toBe('HTTP_PROXY')
    const route = await client.send(
      new CreateRouteCommand({
        ApiId: apiId,
        RouteKey: 'GET /pets',
        Target: `integrations/${integration.IntegrationId ?? ''}`,
      })
    )
    expect(route.RouteKey).toBe('GET /pets')
    const stage = await client.send(
      new CreateStageCommand({ ApiId: apiId, StageName: 'prod', StageVariables: { v: '1' } })
    )
    expect(stage.StageVariables).toEqual({ v: '1' })
    const deployment = await client.send(
      new CreateDeploymentCommand({ ApiId: apiId, StageName: 'prod', Description: 'first' })
    )
    expect(deployment.DeploymentStatus).toBe('DEPLOYED')
    const got = await client.send(new GetStageCommand({ ApiId: apiId, StageName: 'prod' }))
    expect(got.DeploymentId).toBe(deployment.DeploymentId)
    expect(got.LastUpdatedDate).toBeInstanceOf(Date)
  })

  it('imports, serves, reimports and exports an API: ImportApi, ReimportApi, ExportApi', async () => {
    const imported = await client.send(new ImportApiCommand({ Body: upstreamDefinition() }))
    const apiId = imported.ApiId ?? ''
    created.push(apiId)
    await client.send(
      new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true })
    )
    const served = await callApi(apiId, '/hello')
    expect(served.status).toBe(200)
    expect(served.json()).toMatchObject({ path: '/echo/hello' })

    const reimported = await client.send(new ReimportApiCommand({ ApiId: apiId, Body: petstore }))
    expect(reimported.ApiId).toBe(apiId)
    expect(reimported.Name).toBe('Example Pet Store')
    const routes = await client.send(new GetRoutesCommand({ ApiId: apiId }))
    expect(routes.Items?.map((r) => r.RouteKey)).toContain('GET /pets/{petId}')

    const exported = await client.send(
      new ExportApiCommand({ ApiId: apiId, Specification: 'OAS30', OutputType: 'JSON' })
    )
    const doc = JSON.parse(new TextDecoder().decode(exported.body)) as { paths: object }
    expect(Object.keys(doc.paths)).toContain('/pets/{petId}')
  })

  it('lists APIs with GetApis', async () => {
    const list = await client.send(new GetApisCommand({ MaxResults: '500' }))
    const ids = list.Items?.map((a) => a.ApiId) ?? []
    for (const id of created) expect(ids).toContain(id)
  })

  it('maps a custom domain: CreateDomainName, CreateApiMapping, ConflictException', async () => {
    const api = await client.send(
      new CreateApiCommand({ Name: 'mapped', ProtocolType: 'HTTP', Target: 'https://example.com' })
    )
    const apiId = api.ApiId ?? ''
    created.push(apiId)
    const domainName = `e2e-${String(Date.now())}.example.com`
    await client.send(new CreateDomainNameCommand({ DomainName: domainName }))
    const mapping = await client.send(
      new CreateApiMappingCommand({
        DomainName: domainName,
        ApiId: apiId,
        Stage: '$default',
        ApiMappingKey: 'v1/orders',
      })
    )
    expect(mapping.ApiMappingKey).toBe('v1/orders')
    await expect(
      client.send(
        new CreateApiMappingCommand({
          DomainName: domainName,
          ApiId: apiId,
          Stage: '$default',
          ApiMappingKey: 'v1/orders',
        })
      )
    ).rejects.toBeInstanceOf(ConflictException)
    const mappings = await client.send(new GetApiMappingsCommand({ DomainName: domainName }))
    expect(mappings.Items).toHaveLength(1)
    await client.send(
      new DeleteApiMappingCommand({ DomainName: domainName, ApiMappingId: mapping.ApiMappingId })
    )
    await client.send(new DeleteDomainNameCommand({ DomainName: domainName }))
  })

  it('deletes an API and then reports NotFoundException for it', async () => {
    const api = await client.send(new CreateApiCommand({ Name: 'gone', ProtocolType: 'HTTP' }))
    const apiId = api.ApiId ?? ''
    await client.send(new DeleteApiCommand({ ApiId: apiId }))
    const error: unknown = await client
      .send(new GetApiCommand({ ApiId: apiId }))
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotFoundException)
    expect((error as NotFoundException).message).toMatch(/Invalid API identifier/)
  })
})
