/**
 * The REST admin API (apigateway v1) driven by the official `@aws-sdk/client-api-gateway`
 * against `wrangler dev`: SigV4 as the SDK signs, AWS paths and JSON shapes, AWS error classes.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import {
  CreateDeploymentCommand,
  DeleteRestApiCommand,
  GetExportCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
  ImportRestApiCommand,
  NotFoundException,
  BadRequestException,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { restApiClient } from './support/aws-clients'

const CORPUS = resolve(process.cwd(), '../shared/external/openapi-aws')
const corpus = (file: string): Buffer => readFileSync(join(CORPUS, file))
const client = restApiClient()
let apiId = ''

beforeAll(async () => {
  const body = corpus('awsdocs-rest-request-validators.json')
  const api = await client.send(new ImportRestApiCommand({ body, failOnWarnings: false }))
  apiId = api.id ?? ''
})

afterAll(async () => {
  if (apiId !== '') {
    await client.send(new DeleteRestApiCommand({ restApiId: apiId })).catch(() => undefined)
  }
  client.destroy()
})

describe('REST APIs through @aws-sdk/client-api-gateway', () => {
  it('imports an AWS documentation example with warnings', async () => {
    expect(apiId).toMatch(/^[a-z0-9]{10}$/)
    const api = await client.send(new GetRestApiCommand({ restApiId: apiId }))
    expect(api.name).toBeTruthy()
    expect(api.createdDate).toBeInstanceOf(Date)
    expect(Math.abs((api.createdDate?.getTime() ?? 0) - Date.now())).toBeLessThan(5 * 60_000)
    expect(api.rootResourceId).toMatch(/^[a-z0-9]{10}$/)
  })

  it('lists the API with GetRestApis', async () => {
    const list = await client.send(new GetRestApisCommand({ limit: 500 }))
    expect(list.items?.map((a) => a.id)).toContain(apiId)
  })

  it('derives resources with GetResources', async () => {
    const res = await client.send(new GetResourcesCommand({ restApiId: apiId, embed: ['methods'] }))
    expect(res.items?.some((r) => r.path === '/')).toBe(true)
    expect(res.items?.some((r) => r.resourceMethods !== undefined)).toBe(true)
  })

  it('deploys to a stage, updates variables and canary, and rolls back', async () => {
    const first = await client.send(
      new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod', variables: { v: '1' } })
    )
    let stage = await client.send(new GetStageCommand({ restApiId: apiId, stageName: 'prod' }))
    expect(stage.deploymentId).toBe(first.id)
    expect(stage.variables).toEqual({ v: '1' })
    expect(stage.createdDate).toBeInstanceOf(Date)

    const second = await client.send(
      new CreateDeploymentCommand({
        restApiId: apiId,
        stageName: 'prod',
        canarySettings: { percentTraffic: 10, stageVariableOverrides: { v: '2' } },
      })
    )
    stage = await client.send(new GetStageCommand({ restApiId: apiId, stageName: 'prod' }))
    expect(stage.deploymentId).toBe(first.id)
    expect(stage.canarySettings).toMatchObject({ deploymentId: second.id, percentTraffic: 10 })

    stage = await client.send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: 'prod',
        patchOperations: [
          { op: 'replace', path: '/variables/extra', value: 'x' },
          { op: 'replace', path: '/canarySettings/percentTraffic', value: '50' },
        ],
      })
    )
    expect(stage.variables).toEqual({ v: '1', extra: 'x' })
    expect(stage.canarySettings?.percentTraffic).toBe(50)

    // Promote as AWS documents, then roll back by repointing.
    stage = await client.send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: 'prod',
        patchOperations: [
          { op: 'copy', from: '/canarySettings/stageVariableOverrides', path: '/variables' },
          { op: 'copy', from: '/canarySettings/deploymentId', path: '/deploymentId' },
          { op: 'remove', path: '/canarySettings' },
        ],
      })
    )
    expect(stage.deploymentId).toBe(second.id)
    expect(stage.variables?.v).toBe('2')
    expect(stage.canarySettings).toBeUndefined()

    stage = await client.send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: 'prod',
        patchOperations: [{ op: 'replace', path: '/deploymentId', value: first.id }],
      })
    )
    expect(stage.deploymentId).toBe(first.id)
  })

  it('exports the stage as OpenAPI 3 (JSON and YAML)', async () => {
    const json = await client.send(
      new GetExportCommand({
        restApiId: apiId,
        stageName: 'prod',
        exportType: 'oas30',
        accepts: 'application/json',
        parameters: { extensions: 'integrations' },
      })
    )
    expect(json.contentType).toBe('application/json')
    const doc: { openapi: string; paths: Record<string, unknown> } = JSON.parse(
      new TextDecoder().decode(json.body)
    )
    expect(doc.openapi).toMatch(/^3\.0/)
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0)
    const yaml = await client.send(
      new GetExportCommand({
        restApiId: apiId,
        stageName: 'prod',
        exportType: 'oas30',
        accepts: 'application/yaml',
      })
    )
    expect(new TextDecoder().decode(yaml.body)).toMatch(/^openapi:/m)
  })

  it('surfaces an unknown API as NotFoundException', async () => {
    await expect(
      client.send(new GetRestApiCommand({ restApiId: 'zzzzzzzzzz' }))
    ).rejects.toBeInstanceOf(NotFoundException)
  })

  it('surfaces an unimportable document as BadRequestException naming the path', async () => {
    const body = corpus('awsdocs-rest-s3-proxy.json')
    const error: unknown = await client
      .send(new ImportRestApiCommand({ body }))
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BadRequestException)
    expect(error instanceof Error ? error.message : '').toContain('x-amazon-apigateway-integration')
  })

  it('deletes the API (202) so that it is gone', async () => {
    const created = await client.send(
      new ImportRestApiCommand({
        body: corpus('awsdocs-rest-request-validators.json'),
      })
    )
    await client.send(new DeleteRestApiCommand({ restApiId: created.id }))
    await expect(
      client.send(new GetRestApiCommand({ restApiId: created.id }))
    ).rejects.toBeInstanceOf(NotFoundException)
  })
})
