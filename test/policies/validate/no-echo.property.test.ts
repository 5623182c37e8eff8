import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Seeded } from '../../support/seed'
import { dataPlane } from '../../support/seed'
import { post, seedValidatedApi } from './fixtures'

let api: Seeded
beforeAll(async () => {
  api = await seedValidatedApi()
})

/** Client text marked so that it cannot occur in any fixed message by chance. */
const clientText = fc.string({ minLength: 1, maxLength: 40 }).map((s) => `zq${s}`)

/** `text` does not occur in `body`, neither raw nor JSON-escaped. */
function expectNoEcho(body: string, texts: readonly string[]): void {
  for (const text of texts) {
    expect(body).not.toContain(text)
    expect(body).not.toContain(JSON.stringify(text).slice(1, -1))
  }
}

describe('validation errors never echo the request', () => {
  it('keeps body keys and values out of BAD_REQUEST_BODY messages', async () => {
    await fc.assert(
      fc.asyncProperty(clientText, clientText, clientText, async (key, value, name) => {
        // Violations everywhere: unknown key, bad age type, name failing its pattern.
        const body = JSON.stringify({
          [key]: value,
          age: value,
          name: `${name}!`,
          tags: [value, value],
        })
        const res = await post(api, '/dev/pets?q=1', body)
        expect(res.status).toBe(400)
        expectNoEcho(await res.text(), [key, value, name])
      }),
      { numRuns: 40 }
    )
  })

  it('keeps unknown keys and out-of-range numbers out of messages of a closed model', async () => {
    await fc.assert(
      fc.asyncProperty(clientText, fc.integer({ min: 1_000_001, max: 2 ** 40 }), async (key, n) => {
        const body = JSON.stringify({ [key]: 1, n, [`x-${key}`]: 'text' })
        const res = await post(api, '/dev/closed', body)
        expect(res.status).toBe(400)
        expectNoEcho(await res.text(), [key, String(n)])
      }),
      { numRuns: 40 }
    )
  })

  it('keeps parameter values and unknown parameters out of BAD_REQUEST_PARAMETERS messages', async () => {
    await fc.assert(
      fc.asyncProperty(clientText, clientText, async (name, value) => {
        const query = new URLSearchParams({ [name]: value, q: ' ' })
        const res = await dataPlane(api.host, `/dev/pets?${query.toString()}`, {
          method: 'POST',
          body: '{}',
          headers: {
            'content-type': 'application/json',
            'x-other': value.replace(/[^\x21-\x7e]/g, '') || 'zq',
          },
        })
        expect(res.status).toBe(400)
        expectNoEcho(await res.text(), [name, value])
      }),
      { numRuns: 40 }
    )
  })

  it('keeps non-JSON bodies out of the message', async () => {
    await fc.assert(
      fc.asyncProperty(clientText, async (text) => {
        const res = await post(api, '/dev/pets?q=1', `{${text}`)
        expect(res.status).toBe(400)
        expectNoEcho(await res.text(), [text])
      }),
      { numRuns: 30 }
    )
  })
})
