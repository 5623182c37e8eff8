import { describe, expect, it } from 'vitest'
import {
  parseConfigText,
  validateDeploymentConfig,
  validateStageConfig,
} from '../../src/config/validate'
import { issuesOf, validApi, validDeployment, validDomain, validStage } from './fixtures'

describe('parseConfigText', () => {
  it('parses and validates each document kind', () => {
    expect(parseConfigText(JSON.stringify(validApi()), 'api').ok).toBe(true)
    expect(parseConfigText(JSON.stringify(validDeployment()), 'deployment').ok).toBe(true)
    expect(parseConfigText(JSON.stringify(validStage()), 'stage').ok).toBe(true)
    expect(parseConfigText(JSON.stringify(validDomain()), 'domain').ok).toBe(true)
  })

  it('checks the document against the kind it was read as', () => {
    const issues = issuesOf(parseConfigText(JSON.stringify(validStage()), 'api'))
    expect(issues).toContainEqual({ path: '/stageName', message: 'is not a known property' })
  })

  it('reports a truncated (half-written) document instead of throwing', () => {
    const text = JSON.stringify(validApi())
    const issues = issuesOf(parseConfigText(text.slice(0, text.length - 7), 'api'))
    expect(issues).toHaveLength(1)
    expect(issues[0]?.path).toBe('')
    expect(issues[0]?.message).toMatch(/^document is truncated/)
  })

  it.each([
    ['{"schemaVersion": 1,}', /^document is not valid JSON/],
    ["{'a': 1}", /^document is not valid JSON/],
    ['NaN', /^document is not valid JSON/],
    ['', /^document is empty$/],
    ['   \n', /^document is empty$/],
    ['[]', /^document must be a JSON object$/],
    ['"text"', /^document must be a JSON object$/],
  ])('refuses %j', (text, message) => {
    const issues = issuesOf(parseConfigText(text, 'stage'))
    expect(issues).toHaveLength(1)
    expect(issues[0]?.message).toMatch(message)
  })

  it('tolerates a UTF-8 byte order mark written by an editor', () => {
    expect(parseConfigText(`\uFEFF${JSON.stringify(validStage())}`, 'stage').ok).toBe(true)
  })

  it('refuses a 2 MiB document before parsing it', () => {
    const api = { ...validApi(), importWarnings: [] as string[] }
    const padded = JSON.stringify({ ...api, description: 'x'.repeat(2 * 1024 * 1024) })
    expect(issuesOf(parseConfigText(padded, 'api'))).toEqual([
      { path: '', message: 'document is larger than 1048576 bytes' },
    ])
  })

  it('counts UTF-8 bytes, not characters, against the 1 MiB cap', () => {
    // 400 000 three-byte characters: under the cap in UTF-16 units, over it in bytes.
    const text = `{"description":"${'€'.repeat(400_000)}"}`
    expect(text.length).toBeLessThan(1024 * 1024)
    expect(issuesOf(parseConfigText(text, 'api'))[0]?.message).toMatch(/larger than/)
  })

  it('refuses nesting deeper than 32 levels, naming where', () => {
    const deep = `{"schemaVersion":1,"passthrough":${'['.repeat(40)}${']'.repeat(40)}}`
    const issues = issuesOf(parseConfigText(deep, 'api'))
    expect(issues).toHaveLength(1)
    expect(issues[0]?.message).toBe('nested deeper than 32 levels')
    expect(issues[0]?.path).toMatch(/^\/passthrough(\/0)+$/)
  })

  it('survives 100 000 levels of nesting without a stack overflow', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    expect(issuesOf(parseConfigText(deep, 'api'))[0]?.message).toBe('nested deeper than 32 levels')
  })

  it('refuses a future schemaVersion, saying which versions this build understands', () => {
    const doc = JSON.stringify({ ...validApi(), schemaVersion: 2, newField: {} })
    expect(issuesOf(parseConfigText(doc, 'api'))).toEqual([
      {
        path: '/schemaVersion',
        message: 'schemaVersion 2 is not supported; this build understands schemaVersion 1',
      },
    ])
  })

  it('refuses a string schemaVersion and a missing one', () => {
    const wrong = { ...validStage(), schemaVersion: '1' }
    expect(issuesOf(parseConfigText(JSON.stringify(wrong), 'stage'))[0]?.message).toMatch(
      /schemaVersion "1" is not supported/
    )
    const missing: Record<string, unknown> = { ...validStage() }
    delete missing.schemaVersion
    expect(issuesOf(parseConfigText(JSON.stringify(missing), 'stage'))).toEqual([
      { path: '/schemaVersion', message: 'is required' },
    ])
  })
})

describe('validateDeploymentConfig', () => {
  it('refuses a snapshot of another API', () => {
    const d = validDeployment()
    d.api.id = 'zzzzzzzzzz'
    expect(issuesOf(validateDeploymentConfig(d))).toEqual([
      { path: '/api/id', message: "must equal the deployment's apiId (abc123defg)" },
    ])
  })

  it('runs the API rules on the snapshot, with paths under /api', () => {
    const d = validDeployment()
    d.api.routes.push({ id: 'x', routeKey: 'GET /y', integrationId: 'gone' })
    expect(issuesOf(validateDeploymentConfig(d))).toEqual([
      { path: '/api/routes/3/integrationId', message: 'refers to unknown integration "gone"' },
    ])
  })

  it('refuses a future schemaVersion inside the snapshot', () => {
    const d = { ...validDeployment(), api: { ...validApi(), schemaVersion: 2 } }
    expect(issuesOf(validateDeploymentConfig(d))).toEqual([
      { path: '/api/schemaVersion', message: 'must be 1: this build understands schemaVersion 1' },
    ])
  })

  it('refuses a deployment id that cannot be a KV key segment', () => {
    const d = { ...validDeployment(), id: 'a/b' }
    expect(issuesOf(validateDeploymentConfig(d))[0]?.path).toBe('/id')
  })
})

describe('validateStageConfig', () => {
  it('accepts a stage with canary, settings and the $default name', () => {
    const stage = {
      ...validStage(),
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { format: '$context.requestId $context.status' },
      canarySettings: {
        percentTraffic: 12.5,
        deploymentId: 'dep002',
        stageVariableOverrides: { v: '2' },
      },
      defaultRouteSettings: {
        throttlingBurstLimit: 100,
        throttlingRateLimit: 50.5,
        loggingLevel: 'INFO',
      },
      routeSettings: { 'GET /pets': { cachingEnabled: true, cacheTtlInSeconds: 300 } },
    }
    expect(validateStageConfig(stage).ok).toBe(true)
  })

  it('accepts an undeployed stage', () => {
    const stage = validStage()
    delete stage.deploymentId
    expect(validateStageConfig(stage).ok).toBe(true)
  })

  it('refuses a canary on an undeployed stage', () => {
    const stage = validStage()
    delete stage.deploymentId
    const doc = { ...stage, canarySettings: { percentTraffic: 10, deploymentId: 'dep002' } }
    expect(issuesOf(validateStageConfig(doc))).toEqual([
      { path: '/deploymentId', message: 'is required when canarySettings is set' },
    ])
  })

  it.each([
    [{ stageName: '@connections' }, '/stageName', 'must not be "@connections"'],
    [{ stageName: 'pro d' }, '/stageName', expect.stringMatching(/^must match/)],
    [{ stageName: 's'.repeat(129) }, '/stageName', 'must be at most 128 characters'],
    [{ apiId: 'short' }, '/apiId', expect.stringMatching(/^must match/)],
    [
      { variables: { 'bad-name': 'x' } },
      '/variables/bad-name',
      expect.stringMatching(/^property name must match/),
    ],
    [{ variables: { ok: 'has space' } }, '/variables/ok', expect.stringMatching(/^must match/)],
    [{ variables: { ok: 'a'.repeat(2049) } }, '/variables/ok', 'must be at most 2048 characters'],
    [{ variables: { ok: '' } }, '/variables/ok', expect.stringMatching(/^must match/)],
    [
      { canarySettings: { percentTraffic: 101, deploymentId: 'd' } },
      '/canarySettings/percentTraffic',
      'must be at most 100',
    ],
    [
      { canarySettings: { percentTraffic: -1, deploymentId: 'd' } },
      '/canarySettings/percentTraffic',
      'must be at least 0',
    ],
    [{ canarySettings: { percentTraffic: 5 } }, '/canarySettings/deploymentId', 'is required'],
    [
      { defaultRouteSettings: { loggingLevel: 'DEBUG' } },
      '/defaultRouteSettings/loggingLevel',
      'must be one of OFF, ERROR, INFO',
    ],
    [
      { defaultRouteSettings: { cacheTtlInSeconds: 3601 } },
      '/defaultRouteSettings/cacheTtlInSeconds',
      'must be at most 3600',
    ],
    [{ accessLogSettings: {} }, '/accessLogSettings/format', 'is required'],
    [{ lastUpdatedDate: 5 }, '/lastUpdatedDate', 'must be a string'],
  ])('refuses %j', (patch, path, message) => {
    expect(issuesOf(validateStageConfig({ ...validStage(), ...patch }))).toEqual([
      { path, message },
    ])
  })

  it('caps stage variables at 100', () => {
    const variables = Object.fromEntries(
      Array.from({ length: 101 }, (_, i) => [`v${String(i)}`, 'x'])
    )
    expect(issuesOf(validateStageConfig({ ...validStage(), variables }))).toEqual([
      { path: '/variables', message: 'must have at most 100 entries' },
    ])
  })

  it('allows every character of AWS stage variable values', () => {
    const stage = { ...validStage(), variables: { url: 'https://h.example:8443/a?b=c&d=e#f,g~h' } }
    expect(validateStageConfig(stage).ok).toBe(true)
  })

  it('reports a value JSON cannot hold instead of throwing', () => {
    expect(issuesOf(validateStageConfig({ ...validStage(), description: undefined }))).toEqual([
      { path: '', message: 'document contains values that are not JSON' },
    ])
  })
})
