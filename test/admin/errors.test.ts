import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { AdminError, invalidConfig, toAdminResponse } from '../../src/admin/errors'
import { ADMIN_ORIGIN, send } from './helpers'

describe('admin error mapping', () => {
  it('puts type and message in AWS shape', async () => {
    const res = toAdminResponse(new AdminError('ConflictException', 'Stage already exists'), 'rid')
    expect(res.status).toBe(409)
    expect(res.headers.get('x-amzn-ErrorType')).toBe('ConflictException')
    expect(res.headers.get('x-amzn-RequestId')).toBe('rid')
    expect(await res.json()).toEqual({ message: 'Stage already exists' })
  })

  it.each([
    ['BadRequestException', 400],
    ['NotFoundException', 404],
    ['UnauthorizedException', 401],
    ['TooManyRequestsException', 429],
    ['LimitExceededException', 429],
    ['ServiceUnavailableException', 503],
  ] as const)('answers %s with %i', (type, status) => {
    expect(toAdminResponse(new AdminError(type, 'x')).status).toBe(status)
  })

  it('names every JSON path and reason of a config check', async () => {
    const error = invalidConfig('API definition', [
      { path: '/routes/0/routeKey', message: 'must be METHOD /path' },
      { path: '', message: 'document too large' },
    ])
    const res = toAdminResponse(error)
    expect(res.status).toBe(400)
    expect((await res.json<{ message: string }>()).message).toBe(
      'Invalid API definition: /routes/0/routeKey: must be METHOD /path; /: document too large'
    )
  })

  it('answers any other error with a bare 500: no stack, no message', async () => {
    const secret = new Error('connection to 10.0.0.1 failed with token abc')
    const res = toAdminResponse(secret)
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(text).toBe('{"message":"Internal server error"}')
  })
})

describe('audit log failures', () => {
  it('keeps the config write when the audit row cannot be written', async () => {
    const brokenDb = {
      prepare() {
        throw new Error('D1 is down')
      },
    }
    const res = await send(
      new Request(`${ADMIN_ORIGIN}/restapis`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${env.ADMIN_TOKEN ?? ''}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ name: 'audit-less' }),
      }),
      { ...env, DB: brokenDb }
    )
    expect(res.status).toBe(201)
    const { id }: { id: string } = await res.json()
    expect(await env.ROUTES.get(`api/${id}`)).not.toBeNull()
  })
})
