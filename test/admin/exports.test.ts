import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { admin, awsError, deploy, importApi } from './helpers'

interface Doc {
  openapi?: string
  swagger?: string
  info: { title: string }
  paths: Record<string, Record<string, Record<string, unknown>>>
  servers?: { url: string }[]
  host?: string
  basePath?: string
}

async function deployedApi(): Promise<string> {
  const apiId = await importApi()
  await deploy(apiId, { stageName: 'prod' })
  return apiId
}

describe('GetExport', () => {
  it('exports the deployed definition as OpenAPI 3 JSON', async () => {
    const apiId = await deployedApi()
    const res = await admin('GET', `/restapis/${apiId}/stages/prod/exports/oas30`, undefined, {
      accept: 'application/json',
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(res.headers.get('content-disposition')).toContain('oas30.json')
    const doc: Doc = await res.json()
    expect(doc.openapi).toMatch(/^3\.0/)
    expect(doc.info.title).toBe('Pets')
    expect(Object.keys(doc.paths).sort()).toEqual(['/pets', '/pets/{petId}'])
    expect(JSON.stringify(doc)).not.toContain('x-amazon-apigateway-integration')
  })

  it('includes integrations with extensions=integrations', async () => {
    const apiId = await deployedApi()
    const res = await admin(
      'GET',
      `/restapis/${apiId}/stages/prod/exports/oas30?extensions=integrations`
    )
    const doc: Doc = await res.json()
    expect(doc.paths['/pets']?.get?.['x-amazon-apigateway-integration']).toBeDefined()
  })

  it('exports YAML when asked', async () => {
    const apiId = await deployedApi()
    const res = await admin('GET', `/restapis/${apiId}/stages/prod/exports/oas30`, undefined, {
      accept: 'application/yaml',
    })
    expect(res.headers.get('content-type')).toBe('application/yaml')
    const doc = parse(await res.text()) as Doc
    expect(doc.info.title).toBe('Pets')
  })

  it('exports Swagger 2.0 with host and basePath from the stage URL', async () => {
    const apiId = await deployedApi()
    const res = await admin(
      'GET',
      `/restapis/${apiId}/stages/prod/exports/swagger?extensions=apigateway`
    )
    const doc: Doc = await res.json()
    expect(doc.swagger).toBe('2.0')
    expect(doc.openapi).toBeUndefined()
    expect(doc.paths['/pets/{petId}']?.get).toBeDefined()
    expect(doc.host).toBe(`${apiId}.execute-api.localhost`)
    expect(doc.basePath).toBe('/prod')
  })

  it('exports what the stage serves, not later edits', async () => {
    const apiId = await deployedApi()
    await admin('PATCH', `/restapis/${apiId}`, {
      patchOperations: [{ op: 'replace', path: '/name', value: 'Edited' }],
    })
    const doc: Doc = await (
      await admin('GET', `/restapis/${apiId}/stages/prod/exports/oas30`)
    ).json()
    expect(doc.info.title).toBe('Pets')
  })

  it('refuses unknown export types and media types, and unknown stages', async () => {
    const apiId = await deployedApi()
    expect((await admin('GET', `/restapis/${apiId}/stages/prod/exports/postman`)).status).toBe(400)
    const xml = await admin('GET', `/restapis/${apiId}/stages/prod/exports/oas30`, undefined, {
      accept: 'application/xml',
    })
    expect(xml.status).toBe(400)
    const e = await awsError(await admin('GET', `/restapis/${apiId}/stages/nope/exports/oas30`))
    expect(e).toMatchObject({ status: 404, type: 'NotFoundException' })
  })
})

describe('GetExport of imported document content', () => {
  it('gives back the models of the imported document', async () => {
    const apiId = await importApi({
      openapi: '3.0.1',
      info: { title: 'Models', version: '1' },
      components: { schemas: { Pet: { type: 'object', properties: { id: { type: 'string' } } } } },
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
      },
    })
    await deploy(apiId, { stageName: 'prod' })
    const oas: { components?: { schemas?: Record<string, unknown> } } = await (
      await admin('GET', `/restapis/${apiId}/stages/prod/exports/oas30`)
    ).json()
    expect(oas.components?.schemas?.Pet).toBeDefined()
    const swagger: { definitions?: Record<string, unknown> } = await (
      await admin('GET', `/restapis/${apiId}/stages/prod/exports/swagger`)
    ).json()
    expect(swagger.definitions?.Pet).toBeDefined()
  })
})
