/// <reference types="vite/client" />
/**
 * The official JSON Schema Test Suite, draft 4 (../shared/external/json-schema-test-suite), run
 * through the code path the validate policy uses (`compileModel`, then `violations`). Every
 * required test passes. Nothing is skipped: remote-`$ref` groups must be refused at write, and
 * the optional tests on DEVIATIONS must give the opposite answer — each with its reason, so a
 * library change that fixes one fails here and takes it off the list.
 */
import { describe, expect, it } from 'vitest'
import type { ModelConfig } from '../../../src/config/types'
import { compileModel } from '../../../src/policies/validate/compile-model'

interface SuiteTest {
  description: string
  data: unknown
  valid: boolean
}
interface SuiteGroup {
  description: string
  schema: Record<string, unknown>
  tests: SuiteTest[]
}

const FILES = import.meta.glob<string>(
  '../../../../shared/external/json-schema-test-suite/tests/draft4/**/*.json',
  { query: '?raw', import: 'default', eager: true }
)

const REMOTE = 'remote $ref refused by design (Portico never fetches schemas)'
const URI_FORMAT = "optional format: @cfworker/json-schema's `uri` check is more lenient here"
/** `file › group` (whole group) or `file › group › test`, each with why Portico answers otherwise. */
const DEVIATIONS: Record<string, string> = {
  'refRemote.json › remote ref': REMOTE,
  'refRemote.json › fragment within remote ref': REMOTE,
  'refRemote.json › ref within remote ref': REMOTE,
  'refRemote.json › base URI change': REMOTE,
  'refRemote.json › base URI change - change folder': REMOTE,
  'refRemote.json › base URI change - change folder in subschema': REMOTE,
  'refRemote.json › root ref in remote ref': REMOTE,
  'refRemote.json › Location-independent identifier in remote ref': REMOTE,
  'optional/format/uri.json › validation of URIs › non-numeric port is invalid': URI_FORMAT,
  'optional/format/uri.json › validation of URIs › leading zero in an embedded IPv4 address is invalid':
    URI_FORMAT,
  'optional/format/uri.json › validation of URIs › square brackets are not allowed in a path segment':
    URI_FORMAT,
  'optional/zeroTerminatedFloats.json › some languages do not distinguish between different types of numeric value':
    'JSON.parse gives 1.0 and 1 the same JavaScript number: 1.0 is an integer here',
}

const groups = Object.entries(FILES).flatMap(([path, text]) => {
  const file = path.slice(path.indexOf('/draft4/') + '/draft4/'.length)
  return (JSON.parse(text) as SuiteGroup[]).map((group) => ({ file, group }))
})

function asModel(schema: Record<string, unknown>): ReadonlyMap<string, ModelConfig> {
  return new Map([['Suite', { id: 'm1', name: 'Suite', contentType: 'application/json', schema }]])
}

describe('JSON Schema Test Suite, draft 4', () => {
  it('finds the suite files', () => {
    expect(groups.length).toBeGreaterThan(150)
  })

  for (const { file, group } of groups) {
    const groupKey = `${file} › ${group.description}`
    const groupDeviation = DEVIATIONS[groupKey]
    describe(groupKey, () => {
      if (groupDeviation === REMOTE) {
        // Not a silent skip: the schema must be refused at write, with the reason.
        it('is refused: remote $ref', () => {
          const compiled = compileModel('Suite', asModel(group.schema))
          expect(compiled.ok ? 'compiled' : compiled.error).toMatch(
            /does not resolve inside the model/
          )
        })
        return
      }
      const compiled = compileModel('Suite', asModel(group.schema))
      it('compiles', () => {
        expect(compiled.ok ? 'ok' : compiled.error).toBe('ok')
      })
      if (!compiled.ok) return
      for (const test of group.tests) {
        const deviation = groupDeviation ?? DEVIATIONS[`${groupKey} › ${test.description}`]
        const valid = () => compiled.value.violations(test.data).length === 0
        if (deviation !== undefined) {
          it(`${test.description} — known deviation: ${deviation}`, () => {
            expect(valid()).toBe(!test.valid)
          })
          continue
        }
        it(test.description, () => {
          expect(valid()).toBe(test.valid)
        })
      }
    })
  }
})
