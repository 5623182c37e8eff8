import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

describe('test harness', () => {
  it('applies D1 migrations and reaches the loopback upstream', async () => {
    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type='table' AND name='admin_audit_log'"
    ).all()
    expect(tables.results).toHaveLength(1)
    const res = await fetch(`http://127.0.0.1:${String(env.UPSTREAM_PORT)}/echo/x`)
    expect(res.status).toBe(200)
    const demo = await env.DEMO_BACKEND.fetch('https://lambda/', {
      method: 'POST',
      body: '{"path":"/x"}',
    })
    expect(demo.status).toBe(200)
  })
})
