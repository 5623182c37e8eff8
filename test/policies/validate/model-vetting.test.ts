import { describe, expect, it } from 'vitest'
import type { ApiConfig, ModelConfig } from '../../../src/config/types'
import { validateApiConfig } from '../../../src/config/validate'
import { issuesOf, validApi } from '../../config/fixtures'
import { dataPlane, seedApi } from '../../support/seed'
import { ECHO } from '../support'
import { post } from './fixtures'

function model(name: string, schema: Record<string, unknown>, id = `m${name}`): ModelConfig {
  return { id, name, contentType: 'application/json', schema }
}

function apiWith(models: ModelConfig[], extra: Partial<ApiConfig> = {}): ApiConfig {
  return { ...validApi(), models, ...extra }
}

/** The messages of the issues the write-time check reports for `models`. */
function problemsOf(models: ModelConfig[], extra: Partial<ApiConfig> = {}): string[] {
  const result = validateApiConfig(apiWith(models, extra))
  return result.ok ? [] : result.error.map((i) => `${i.path}: ${i.message}`)
}

const awsRef = (name: string) =>
  `https://apigateway.amazonaws.com/restapis/abc123defg/models/${name}`

describe('models at write', () => {
  it('accepts draft-4 models, local refs and AWS refs to the API’s other models', () => {
    const pet = model('Pet', {
      $schema: 'http://json-schema.org/draft-04/schema#',
      definitions: { id: { type: 'integer' } },
      type: 'object',
      properties: { id: { $ref: '#/definitions/id' }, owner: { $ref: awsRef('Owner') } },
    })
    const owner = model('Owner', { type: 'object', properties: { name: { type: 'string' } } })
    expect(problemsOf([pet, owner])).toEqual([])
  })

  it('leaves free-form values alone: an example object is not a schema', () => {
    const example = { format: 'url', const: 1, pattern: '(a+)+', $ref: 'https://example.com/x' }
    expect(problemsOf([model('Pet', { type: 'object', example })])).toEqual([])
  })

  it('refuses remote $refs without fetching them', () => {
    for (const ref of [
      'https://example.com/schema.json',
      'other.json#/a',
      '#/definitions/missing',
    ]) {
      const problems = problemsOf([model('Pet', { properties: { a: { $ref: ref } } })])
      expect(problems).toEqual([
        expect.stringMatching(/^\/models\/0\/schema: \$ref .* does not resolve inside the model/),
      ])
    }
  })

  it('refuses an AWS model ref to a model the API does not have', () => {
    expect(problemsOf([model('Pet', { $ref: awsRef('Ghost') })])).toEqual([
      expect.stringContaining('names no model of this API'),
    ])
  })

  it('refuses catastrophic patterns and pattern properties', () => {
    expect(problemsOf([model('Pet', { pattern: '^(a+)+$' })])).toEqual([
      expect.stringContaining('nested quantifiers'),
    ])
    expect(problemsOf([model('Pet', { patternProperties: { '(\\w|\\d)*': {} } })])).toEqual([
      expect.stringContaining('overlapping alternatives'),
    ])
    // A pattern hidden in a non-keyword object and reached through $ref is vetted too.
    const hidden = { 'x-hidden': { pattern: '(a*)*b' }, properties: { p: { $ref: '#/x-hidden' } } }
    expect(problemsOf([model('Pet', hidden)])).toEqual([
      expect.stringContaining('nested quantifiers'),
    ])
  })

  it('refuses what is not draft 4', () => {
    expect(
      problemsOf([model('A', { $schema: 'http://json-schema.org/draft-07/schema#' })])
    ).toEqual([expect.stringContaining('$schema must be')])
    expect(problemsOf([model('A', { type: 'string', const: 'x' })])).toEqual([
      expect.stringContaining('keyword const is not part of JSON Schema draft 4'),
    ])
    expect(problemsOf([model('A', { type: 'strin' })])).toEqual([
      expect.stringContaining('not a valid draft-4 schema'),
    ])
    expect(problemsOf([model('A', { required: [] })])).toEqual([
      expect.stringContaining('not a valid draft-4 schema'),
    ])
    expect(problemsOf([model('A', { format: 'url' })])).toEqual([
      expect.stringContaining('not a draft-4 format'),
    ])
    const huge = Array.from({ length: 1001 }, (_, i) => i)
    expect(problemsOf([model('A', { enum: huge })])).toEqual([
      expect.stringContaining('limited to 1000 items'),
    ])
    expect(problemsOf([model('A', { format: '__proto__' })])).toEqual([
      expect.stringContaining('not a format name'),
    ])
  })

  it('refuses $ref cycles that never move into the instance and exponential fan-out', () => {
    expect(problemsOf([model('A', { $ref: '#' })])).toEqual([expect.stringContaining('$ref cycle')])
    expect(
      problemsOf([
        model('A', {
          definitions: { a: { anyOf: [{ $ref: '#/definitions/a' }] } },
          $ref: '#/definitions/a',
        }),
      ])
    ).toEqual([expect.stringContaining('$ref cycle')])
    // Each level applies the root twice to the same member: 2^depth evaluations.
    const doubling = {
      properties: { a: { $ref: '#' } },
      patternProperties: { '^a$': { $ref: '#' } },
    }
    expect(problemsOf([model('A', doubling)])).toEqual([
      expect.stringContaining('more than 10000 work units'),
    ])
    // A recursive tree applies itself once per level: fine.
    const tree = { properties: { children: { type: 'array', items: { $ref: '#' } } } }
    expect(problemsOf([model('A', tree)])).toEqual([])
  })

  it('refuses duplicate names and unknown references from routes', () => {
    const api = apiWith([model('Pet', {}, 'm1'), model('Pet', {}, 'm2')], {
      requestValidators: [
        { id: 'v1', name: 'body', validateRequestBody: true },
        { id: 'v2', name: 'body' },
      ],
    })
    const first = api.routes[0]
    if (first === undefined) throw new Error('fixture has routes')
    first.requestValidatorId = 'nope'
    first.requestModels = { 'application/json': 'Ghost' }
    expect(issuesOf(validateApiConfig(api))).toEqual([
      { path: '/models/1/name', message: 'duplicate model name "Pet"' },
      { path: '/requestValidators/1/name', message: 'duplicate request validator name "body"' },
      {
        path: '/routes/0/requestValidatorId',
        message: 'refers to unknown request validator "nope"',
      },
      {
        path: '/routes/0/requestModels/application~1json',
        message: 'refers to unknown model "Ghost"',
      },
    ])
  })
})

describe('models at load', () => {
  it('answers 500 on a route whose model does not compile, and serves the others', async () => {
    const api = await seedApi({
      routes: [
        {
          id: 'r1',
          routeKey: 'POST /bad',
          integrationId: 'echo',
          requestValidatorId: 'v1',
          requestModels: { 'application/json': 'Bad' },
        },
        { id: 'r2', routeKey: 'GET /fine', integrationId: 'echo' },
      ],
      integrations: [ECHO],
      apiExtras: {
        models: [model('Bad', { pattern: '(a+)+$' })],
        requestValidators: [{ id: 'v1', name: 'body', validateRequestBody: true }],
      },
    })
    const bad = await post(api, '/dev/bad', '{}')
    expect(bad.status).toBe(500)
    expect(await bad.json()).toEqual({ message: 'Internal server error' })
    const fine = await dataPlane(api.host, '/dev/fine')
    expect(fine.status).toBe(200)
    await fine.arrayBuffer()
  })
})
