/// <reference types="vite/client" />
/**
 * External JOSE vectors (../shared/external/jose, README there) run through the authorizer's
 * token path: `extractToken` (the bearer parser) then `verifySignature` against the vector's key
 * as a one-key JWKS, with every algorithm the authorizer supports allowed. Every invalid
 * signature is rejected; every valid signature with an allowed algorithm is accepted, except the
 * vectors on SKIPS, each with the reason. HMAC vectors are run too and must all be rejected:
 * an authorizer never accepts symmetric algorithms (key confusion).
 */
import { describe, expect, it } from 'vitest'
import { extractToken } from '../../../../src/policies/authorization/jwt/bearer-token'
import { SUPPORTED_ALGORITHMS } from '../../../../src/policies/authorization/jwt/jwt-settings'
import { parseKeySet } from '../../../../src/policies/authorization/jwt/key-set'
import {
  pinnedAlgorithms,
  verifySignature,
} from '../../../../src/policies/authorization/jwt/verify-signature'

const ROOT = '../../../../../shared/external/jose'
const WYCHEPROOF = import.meta.glob<string>(
  '../../../../../shared/external/jose/wycheproof/testvectors_v1/json_web_signature_test.json',
  { query: '?raw', import: 'default', eager: true }
)
const COOKBOOK = import.meta.glob<string>(
  '../../../../../shared/external/jose/ietf-jose-cookbook/{jws,jwe,curve25519,rfc7797}/*.json',
  { query: '?raw', import: 'default', eager: true }
)

type Jwk = Record<string, unknown>
interface WycheproofTest {
  tcId: number
  comment: string
  jws: unknown
  result: 'valid' | 'invalid' | 'acceptable'
}
interface WycheproofGroup {
  comment: string
  public?: Jwk
  private?: Jwk
  tests: WycheproofTest[]
}

const ALGORITHMS = [...SUPPORTED_ALGORITHMS]
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth']

/** The key a verifier would publish: private members removed (an `oct` key stays as it is). */
function publicPart(jwk: Jwk): Jwk {
  if (jwk.kty === 'oct') return jwk
  return Object.fromEntries(Object.entries(jwk).filter(([name]) => !PRIVATE_MEMBERS.includes(name)))
}

function headerAlg(token: string): string | undefined {
  try {
    const header: unknown = JSON.parse(
      atob((token.split('.')[0] ?? '').replace(/-/g, '+').replace(/_/g, '/'))
    )
    return typeof header === 'object' &&
      header !== null &&
      'alg' in header &&
      typeof header.alg === 'string'
      ? header.alg
      : undefined
  } catch {
    return undefined
  }
}

/** Whether the authorizer's token path accepts `jws` with `jwk` as the only key. */
async function accepts(jws: unknown, jwk: Jwk): Promise<boolean> {
  const token = extractToken(typeof jws === 'string' ? jws : JSON.stringify(jws))
  if (!token.ok) return false
  const keys = parseKeySet({ keys: [publicPart(jwk)] })
  const verified = await verifySignature(token.value, keys, pinnedAlgorithms(ALGORITHMS))
  return verified.ok
}

const ALG_MISMATCH =
  'the JWK declares another "alg" than the token (the RFC 7520 RSA key reused for PS384, the ' +
  'unregistered "ES521" for ES512); key selection never uses a key whose "alg" differs (RFC 7517 §4.4)'
const EMPTY_PAYLOAD =
  'empty payload: a JWT always carries a claims object, so the bearer parser refuses an empty ' +
  'segment before any signature check'

/**
 * Valid Wycheproof vectors the authorizer refuses on purpose, by tcId, each with its reason. They
 * are not skipped silently: the test checks that each one is indeed refused.
 */
const REFUSED_ON_PURPOSE: Readonly<Record<number, string>> = {
  259: EMPTY_PAYLOAD,
  264: EMPTY_PAYLOAD,
  268: EMPTY_PAYLOAD,
  272: EMPTY_PAYLOAD,
  320: EMPTY_PAYLOAD,
  325: EMPTY_PAYLOAD,
  346: ALG_MISMATCH,
  347: ALG_MISMATCH,
  350: ALG_MISMATCH,
  351: ALG_MISMATCH,
}

describe('Wycheproof JSON Web Signature vectors', () => {
  const texts = Object.values(WYCHEPROOF)
  const suite = JSON.parse(texts[0] ?? '{"testGroups":[]}') as { testGroups: WycheproofGroup[] }
  const cases = suite.testGroups.flatMap((group) => group.tests.map((test) => ({ group, test })))

  it('finds the vectors', () => {
    expect(texts).toHaveLength(1)
    expect(cases.length).toBeGreaterThan(400)
  })

  it('rejects every invalid signature and accepts every valid asymmetric one', async () => {
    const wrong: string[] = []
    const refused: number[] = []
    const counts = { accepted: 0, rejected: 0, hmacRejected: 0 }
    for (const { group, test } of cases) {
      const jwk = group.public ?? group.private
      if (jwk === undefined) throw new Error(`group "${group.comment}" has no key`)
      const alg = typeof test.jws === 'string' ? headerAlg(test.jws) : undefined
      const onPurpose = Object.hasOwn(REFUSED_ON_PURPOSE, test.tcId)
      if (onPurpose) refused.push(test.tcId)
      const accepted = await accepts(test.jws, jwk)
      const expected =
        !onPurpose && test.result === 'valid' && alg !== undefined && SUPPORTED_ALGORITHMS.has(alg)
      if (accepted !== expected) {
        wrong.push(`tcId ${String(test.tcId)} (${test.comment}): accepted=${String(accepted)}`)
      }
      if (accepted) counts.accepted++
      else counts.rejected++
      if (!accepted && test.result === 'valid' && alg?.startsWith('HS') === true) {
        counts.hmacRejected++
      }
    }
    expect(wrong).toEqual([])
    expect(refused).toEqual(Object.keys(REFUSED_ON_PURPOSE).map(Number))
    expect(counts.accepted).toBeGreaterThan(20)
    expect(counts.rejected).toBeGreaterThan(350)
    expect(counts.hmacRejected).toBeGreaterThan(0)
  })
})

interface CookbookVector {
  input: { key?: Jwk; alg?: string }
  output: { compact?: string; json?: unknown; json_flat?: unknown }
}

function cookbook(name: string): CookbookVector {
  const text = COOKBOOK[`${ROOT}/ietf-jose-cookbook/${name}`]
  if (text === undefined) throw new Error(`missing cookbook vector ${name}`)
  return JSON.parse(text) as CookbookVector
}

function keyOf(vector: CookbookVector): Jwk {
  const key = vector.input.key
  if (key === undefined) throw new Error('vector has no key')
  return key
}

describe('RFC 7520 (JOSE cookbook) signatures', () => {
  it.each([
    ['jws/4_1.rsa_v15_signature.json', 'RS256'],
    ['jws/4_2.rsa-pss_signature.json', 'PS384'],
    ['jws/4_3.ecdsa_signature.json', 'ES512'],
    ['curve25519/jws.json', 'EdDSA'],
  ])('accepts the compact %s (%s)', async (name) => {
    const vector = cookbook(name)
    expect(vector.output.compact).toBeTypeOf('string')
    expect(await accepts(vector.output.compact, keyOf(vector))).toBe(true)
  })

  it('rejects the same signatures in JSON and flattened JSON serialisation (not bearer tokens)', async () => {
    for (const name of [
      'jws/4_1.rsa_v15_signature.json',
      'jws/4_2.rsa-pss_signature.json',
      'jws/4_3.ecdsa_signature.json',
      'jws/4_8.multiple_signatures.json',
      'curve25519/jws.json',
    ]) {
      const vector = cookbook(name)
      for (const serialised of [vector.output.json, vector.output.json_flat]) {
        if (serialised === undefined) continue
        expect([name, await accepts(serialised, keyOf(vector))]).toEqual([name, false])
      }
    }
  })

  it('rejects HMAC, detached-content and b64=false signatures', async () => {
    for (const name of [
      'jws/4_4.hmac-sha2_integrity_protection.json',
      'jws/4_5.signature_with_detached_content.json',
      'rfc7797/hmac-sha2_b64_false.json',
    ]) {
      const vector = cookbook(name)
      expect([name, await accepts(vector.output.compact, keyOf(vector))]).toEqual([name, false])
    }
  })

  it('rejects a signature checked against another key of the cookbook', async () => {
    const rsa = cookbook('jws/4_1.rsa_v15_signature.json')
    const ec = cookbook('jws/4_3.ecdsa_signature.json')
    expect(await accepts(rsa.output.compact, keyOf(ec))).toBe(false)
    expect(await accepts(ec.output.compact, keyOf(rsa))).toBe(false)
  })

  it('refuses every compact JWE of the cookbook without decrypting it', () => {
    const compact = Object.entries(COOKBOOK)
      .filter(([path]) => path.includes('/jwe/'))
      .map(([, text]) => (JSON.parse(text) as CookbookVector).output.compact)
      .filter((value): value is string => typeof value === 'string')
    expect(compact.length).toBeGreaterThanOrEqual(9)
    for (const jwe of compact)
      expect(extractToken(jwe)).toEqual({ ok: false, error: 'JWE tokens are not accepted' })
  })
})
