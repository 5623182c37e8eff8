import { describe, expect, it } from 'vitest'
import { admin, awsError, importApi } from './helpers'

interface ResourceOut {
  id: string
  parentId?: string
  pathPart?: string
  path: string
  resourceMethods?: Record<string, Record<string, unknown>>
}

describe('GetResources', () => {
  it('derives resources with stable ids and parent links from the routes', async () => {
    const apiId = await importApi()
    const read = async (): Promise<ResourceOut[]> =>
      (await (await admin('GET', `/restapis/${apiId}/resources`)).json<{ item: ResourceOut[] }>())
        .item
    const items = await read()
    expect(items.map((r) => r.path)).toEqual(['/', '/pets', '/pets/{petId}'])
    const [root, pets, pet] = items
    expect(root?.parentId).toBeUndefined()
    expect(pets).toMatchObject({
      parentId: root?.id,
      pathPart: 'pets',
      resourceMethods: { GET: {} },
    })
    expect(pet).toMatchObject({ parentId: pets?.id, pathPart: '{petId}' })
    expect(await read()).toEqual(items)
    const api: { rootResourceId: string } = await (await admin('GET', `/restapis/${apiId}`)).json()
    expect(api.rootResourceId).toBe(root?.id)
  })

  it('embeds full methods with embed=methods', async () => {
    const apiId = await importApi()
    const { item }: { item: ResourceOut[] } = await (
      await admin('GET', `/restapis/${apiId}/resources?embed=methods`)
    ).json()
    expect(item.find((r) => r.path === '/pets')?.resourceMethods?.GET).toMatchObject({
      httpMethod: 'GET',
      authorizationType: 'NONE',
      apiKeyRequired: false,
    })
  })

  it('reads one resource by id and answers 404 for an unknown one', async () => {
    const apiId = await importApi()
    const { item }: { item: ResourceOut[] } = await (
      await admin('GET', `/restapis/${apiId}/resources`)
    ).json()
    const pets = item.find((r) => r.path === '/pets')
    const one = await admin('GET', `/restapis/${apiId}/resources/${pets?.id ?? ''}`)
    expect(await one.json()).toEqual(pets)
    const e = await awsError(await admin('GET', `/restapis/${apiId}/resources/nope`))
    expect(e).toMatchObject({ status: 404, type: 'NotFoundException' })
  })

  it('answers 404 for an unknown API', async () => {
    expect((await admin('GET', '/restapis/zzzzzzzzzz/resources')).status).toBe(404)
  })
})
