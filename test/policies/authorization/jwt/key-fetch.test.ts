import { describe, expect, it } from 'vitest'
import {
  fetchKeyDocument,
  KeyFetchError,
  type Fetcher,
} from '../../../../src/policies/authorization/jwt/key-fetch'

const url = new URL('https://idp.example/keys?client_secret=s3cret#frag')

async function failureOf(fetcher: Fetcher): Promise<KeyFetchError> {
  const error: unknown = await fetchKeyDocument(url, fetcher).then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(KeyFetchError)
  return error as KeyFetchError
}

describe('key document fetch failures', () => {
  const cases: [string, Fetcher][] = [
    ['a non-200 answer', () => Promise.resolve(new Response('no', { status: 500 }))],
    ['a transport failure', () => Promise.reject(new TypeError('network down'))],
    ['an answer that is not JSON', () => Promise.resolve(new Response('<html>'))],
    ['an answer over the size cap', () => Promise.resolve(new Response('x'.repeat(70 * 1024)))],
  ]

  it.each(cases)('name the URL without its query string for %s', async (_what, fetcher) => {
    const { message } = await failureOf(fetcher)
    expect(message).toContain('https://idp.example/keys')
    expect(message).not.toContain('s3cret')
    expect(message).not.toContain('frag')
  })
})
