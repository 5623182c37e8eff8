import { afterEach, describe, expect, it, vi } from 'vitest'
import { accessLogVariables, formatAccessLog } from '../../src/observability/access-log'
import { dataPlane, seedApi } from '../support/seed'

describe('formatAccessLog', () => {
  it('substitutes $context variables, including dotted names', () => {
    const line = formatAccessLog('$context.requestId $context.identity.sourceIp $context.status', {
      requestId: 'r-1',
      'identity.sourceIp': '203.0.113.9',
      status: '200',
    })
    expect(line).toBe('r-1 203.0.113.9 200')
  })

  it('prints unknown and empty variables as -', () => {
    expect(formatAccessLog('[$context.nope] [$context.empty]', { empty: '' })).toBe('[-] [-]')
  })

  it('leaves a trailing dot outside the variable name', () => {
    expect(formatAccessLog('status=$context.status.', { status: '404' })).toBe('status=404.')
  })

  it('escapes values so a header cannot break the line or a JSON format', () => {
    const format = '{"ua":"$context.identity.userAgent","id":"$context.requestId"}'
    const line = formatAccessLog(format, {
      'identity.userAgent': 'evil\n{"forged":true}"\\',
      requestId: 'r-2',
    })
    expect(line).not.toContain('\n')
    const parsed: unknown = JSON.parse(line)
    expect(parsed).toEqual({ ua: 'evil\n{"forged":true}"\\', id: 'r-2' })
  })

  it('names integration and error fields as AWS does, empty when absent', () => {
    const vars = accessLogVariables({
      requestId: 'r',
      apiId: 'a',
      stage: 's',
      domainName: 'd',
      httpMethod: 'GET',
      path: '/s/x',
      resourcePath: '/x',
      routeKey: 'GET /x',
      protocol: 'HTTP/1.1',
      status: 502,
      sourceIp: '1.2.3.4',
      userAgent: 'ua',
      requestTimeEpoch: 0,
      responseLatencyMs: 7,
      errorType: 'INTEGRATION_FAILURE',
    })
    expect(vars.requestTime).toBe('1970-01-01T00:00:00.000Z')
    expect(vars.integrationStatus).toBe('')
    expect(vars['error.responseType']).toBe('INTEGRATION_FAILURE')
    expect(formatAccessLog('$context.integrationStatus $context.responseLatency', vars)).toBe('- 7')
  })
})

describe('access log emission', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('writes one line per request for a stage with accessLogSettings.format', async () => {
    const format =
      '{"id":"$context.requestId","route":"$context.routeKey","status":"$context.status","ua":"$context.identity.userAgent"}'
    const { host } = await seedApi({
      routes: [{ id: 'r1', routeKey: 'GET /health', integrationId: 'm1' }],
      integrations: [{ id: 'm1', type: 'MOCK', mockResponse: { statusCode: 200, body: 'ok' } }],
      stageExtras: { accessLogSettings: { format } },
    })
    const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    const res = await dataPlane(host, '/dev/health?token=secret', {
      // Header values cannot hold CR/LF; quotes and backslashes must not break the JSON line.
      headers: { 'user-agent': 'agent", "forged": "\\' },
    })
    const lines = spy.mock.calls.map((args) => String(args[0]))
    spy.mockRestore()
    expect(res.status).toBe(200)
    const accessLines = lines.filter((l) => l.includes(res.headers.get('x-amzn-RequestId') ?? '?'))
    expect(accessLines).toHaveLength(1)
    const line = accessLines[0] ?? ''
    expect(line).not.toMatch(/[\r\n]/)
    expect(line).not.toContain('secret')
    expect(JSON.parse(line)).toEqual({
      id: res.headers.get('x-amzn-RequestId'),
      route: 'GET /health',
      status: '200',
      ua: 'agent", "forged": "\\',
    })
  })

  it('writes no access line for a stage without accessLogSettings', async () => {
    const { host } = await seedApi({
      routes: [{ id: 'r1', routeKey: 'GET /health', integrationId: 'm1' }],
      integrations: [{ id: 'm1', type: 'MOCK', mockResponse: { statusCode: 200, body: 'ok' } }],
    })
    const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    const res = await dataPlane(host, '/dev/health')
    const lines = spy.mock.calls.map((args) => String(args[0]))
    spy.mockRestore()
    expect(res.status).toBe(200)
    const id = res.headers.get('x-amzn-RequestId') ?? '?'
    expect(id).not.toBe('?')
    expect(lines.filter((l) => l.includes(id))).toHaveLength(0)
  })
})
