import { beforeAll, describe, expect, it } from 'vitest'
import type { Seeded } from '../../support/seed'
import { dataPlane } from '../../support/seed'
import { hits } from '../support'
import { post, seedValidatedApi, type Echo } from './fixtures'

let api: Seeded
beforeAll(async () => {
  api = await seedValidatedApi()
})

async function expectError(res: Response, status: number, message: string): Promise<void> {
  expect(res.status).toBe(status)
  expect(await res.json()).toEqual({ message })
}

describe('required request parameters', () => {
  it('answers 400 BAD_REQUEST_PARAMETERS naming the missing query and header, with no upstream call', async () => {
    const tag = crypto.randomUUID()
    const res = await dataPlane(api.host, '/dev/pets', {
      method: 'POST',
      body: '{"name":"Rex"}',
      headers: { 'content-type': 'application/json', 'x-test-tag': tag },
    })
    expect(res.headers.get('x-amzn-ErrorType')).toBe('BadRequestException')
    await expectError(res, 400, 'Missing required request parameters: [q, x-h]')
    expect(await hits(tag)).toBe(0)
  })

  it('treats blank query and header values as missing', async () => {
    const res = await post(api, '/dev/pets?q=%20%20', '{"name":"Rex"}', { 'x-h': '   ' })
    await expectError(res, 400, 'Missing required request parameters: [q, x-h]')
  })

  it('accepts a repeated query parameter when one of its values is non-blank', async () => {
    const res = await dataPlane(api.host, '/dev/search?tag=&tag=b', { headers: { 'x-h': '1' } })
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    const none = await dataPlane(api.host, '/dev/search?tag=&tag=', { headers: { 'x-h': '1' } })
    await expectError(none, 400, 'Missing required request parameters: [tag]')
  })

  it('checks a required path parameter and ignores optional parameters', async () => {
    const res = await dataPlane(api.host, '/dev/items/7')
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    const pets = await post(api, '/dev/pets?q=1', '{"name":"Rex"}')
    expect(pets.status).toBe(200)
    await pets.arrayBuffer()
  })

  it('does not enforce parameters when the validator checks only the body', async () => {
    const res = await post(api, '/dev/body-only', '{}')
    expect(res.status).toBe(200)
    await res.arrayBuffer()
  })
})

describe('request body against the model', () => {
  it('forwards a valid body byte-identical, headers kept', async () => {
    const body = '{ "name" : "Rex Dog",\n  "age": 3, "tags": ["a", "b"], "note": "ünïcødé ✓" }'
    const res = await post(api, '/dev/pets?q=1', body, { 'x-extra': 'kept' })
    expect(res.status).toBe(200)
    const echo: Echo = await res.json()
    expect(echo.body).toBe(body)
    expect(echo.headers['x-extra']).toBe('kept')
    expect(echo.headers['content-type']).toBe('application/json')
  })

  it('answers 400 naming missing required properties (AWS style), no upstream call', async () => {
    const tag = crypto.randomUUID()
    const res = await post(api, '/dev/pets?q=1', '{"age": 3}', { 'x-test-tag': tag })
    expect(res.headers.get('x-amzn-ErrorType')).toBe('BadRequestException')
    await expectError(
      res,
      400,
      'Invalid request body: [object has missing required properties (["name"])]'
    )
    expect(await hits(tag)).toBe(0)
  })

  it('names the violated keyword and its schema location, not the value', async () => {
    const res = await post(api, '/dev/pets?q=1', '{"name": "Rex", "age": -4}')
    await expectError(
      res,
      400,
      'Invalid request body: [minimum violated at #/properties/age/minimum]'
    )
    const typed = await post(api, '/dev/pets?q=1', '{"name": "Rex", "age": "old"}')
    await expectError(typed, 400, 'Invalid request body: [type violated at #/properties/age/type]')
  })

  it('answers 400 Invalid request body for a body that is not JSON', async () => {
    const res = await post(api, '/dev/pets?q=1', '{"name": "Rex",')
    await expectError(res, 400, 'Invalid request body')
    const bytes = await post(api, '/dev/pets?q=1', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))
    await expectError(bytes, 400, 'Invalid request body')
  })

  it('validates an empty body as an empty object (AWS)', async () => {
    const res = await post(api, '/dev/pets?q=1', null)
    await expectError(
      res,
      400,
      'Invalid request body: [object has missing required properties (["name"])]'
    )
    const free = await post(api, '/dev/free', '')
    expect(free.status).toBe(200)
    await free.arrayBuffer()
  })

  it('answers 415 for a content type without a model, with no upstream call', async () => {
    const tag = crypto.randomUUID()
    const res = await post(api, '/dev/pets?q=1', '{"name":"Rex"}', {
      'content-type': 'text/plain',
      'x-test-tag': tag,
    })
    expect(res.headers.get('x-amzn-ErrorType')).toBe('UnsupportedMediaTypeException')
    await expectError(res, 415, 'Unsupported Media Type')
    expect(await hits(tag)).toBe(0)
  })

  it('matches the media type case-insensitively, without parameters', async () => {
    const res = await post(api, '/dev/pets?q=1', '{"name":"Rex"}', {
      'content-type': 'Application/JSON; charset=utf-8',
    })
    expect(res.status).toBe(200)
    await res.arrayBuffer()
  })

  it('applies a $default model to any content type', async () => {
    const bad = await post(api, '/dev/any', '{}', { 'content-type': 'text/plain' })
    await expectError(
      bad,
      400,
      'Invalid request body: [object has missing required properties (["name"])]'
    )
    const good = await post(api, '/dev/any', '{"name":"Rex"}', { 'content-type': 'text/x-pet' })
    expect(good.status).toBe(200)
    await good.arrayBuffer()
  })
})

describe('body caps', () => {
  it('answers 413 for a body over 1 MiB on a validated route, with no upstream call', async () => {
    const tag = crypto.randomUUID()
    const body = `{"name":"${'a'.repeat(1024 * 1024)}"}`
    const res = await post(api, '/dev/free', body, { 'x-test-tag': tag })
    expect(res.status).toBe(413)
    await res.arrayBuffer()
    expect(await hits(tag)).toBe(0)
  })

  it('answers 413 for a chunked body that grows past 1 MiB', async () => {
    const chunk = new TextEncoder().encode(`"${'a'.repeat(64 * 1024 - 2)}",`)
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 20) controller.enqueue(chunk)
        else controller.close()
      },
    })
    const res = await post(api, '/dev/free', body)
    expect(res.status).toBe(413)
    await res.arrayBuffer()
  })

  it('answers 400, never 500, for 100k nested brackets', async () => {
    const res = await post(api, '/dev/free', '['.repeat(100_000))
    await expectError(res, 400, 'Invalid request body')
    const objects = await post(api, '/dev/free', '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000))
    await expectError(objects, 400, 'Invalid request body')
  })

  it('accepts 64 levels of nesting and refuses 65', async () => {
    const nested = (n: number) => '['.repeat(n) + ']'.repeat(n)
    const ok = await post(api, '/dev/free', nested(64))
    expect(ok.status).toBe(200)
    await ok.arrayBuffer()
    await expectError(await post(api, '/dev/free', nested(65)), 400, 'Invalid request body')
  })

  it('keeps brackets inside strings out of the depth count', async () => {
    const res = await post(api, '/dev/free', JSON.stringify({ s: '['.repeat(10_000) + '\\"[' }))
    expect(res.status).toBe(200)
    await res.arrayBuffer()
  })

  it('refuses a long string for a model that runs patterns', async () => {
    const res = await post(api, '/dev/pets?q=1', JSON.stringify({ name: 'a'.repeat(5000) }))
    await expectError(res, 400, 'Invalid request body')
  })

  it('refuses arrays too large to compare pairwise for a uniqueItems model', async () => {
    const tags = Array.from({ length: 2100 }, (_, i) => `t${String(i)}`)
    const res = await post(api, '/dev/pets?q=1', JSON.stringify({ name: 'Rex', tags }))
    await expectError(res, 400, 'Invalid request body')
    const fewer = await post(
      api,
      '/dev/pets?q=1',
      JSON.stringify({ name: 'Rex', tags: tags.slice(0, 500) })
    )
    expect(fewer.status).toBe(200)
    await fewer.arrayBuffer()
  })
})

describe('prototype keys', () => {
  it('validates __proto__ and constructor like any other key, polluting nothing', async () => {
    const body = '{"__proto__": {"polluted": true}, "constructor": 5}'
    const res = await post(api, '/dev/proto', body)
    expect(res.status).toBe(200)
    expect((await res.json<Echo>()).body).toBe(body)
    const wrong = await post(api, '/dev/proto', '{"__proto__": 1, "constructor": 5}')
    await expectError(
      wrong,
      400,
      'Invalid request body: [type violated at #/properties/__proto__/type]'
    )
    const missing = await post(api, '/dev/proto', '{"__proto__": {}}')
    await expectError(
      missing,
      400,
      'Invalid request body: [object has missing required properties (["constructor"])]'
    )
    expect(Reflect.get({}, 'polluted')).toBeUndefined()
  })
})
