/**
 * Signature verification of a compact JWS against a JWKS, with the algorithms pinned by config
 * (jose refuses any other `alg`, `none` and every HMAC algorithm with a key set, so no key
 * confusion). Only the JWKS chooses keys: `jku`, `x5u`, `jwk` and `x5c` headers are never read.
 * `typ` is not checked (AWS does not check it either). The payload is returned undecoded.
 */
import { compactVerify, errors, type CryptoKey, type VerifyOptions } from 'jose'
import { err, ok, type Result } from '../../../result'
import type { KeySet } from './key-set'

/** When several keys match a kid-less header, at most this many are tried. */
export const MAX_CANDIDATE_KEYS = 4

export type SignatureFailure =
  /** No key in the set fits the header (`kid`/`alg`): a refetch may help. */
  | { readonly kind: 'no-matching-key'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly reason: string }

function describe(error: unknown): string {
  if (error instanceof errors.JOSEError) return `${error.code}: ${error.message}`
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

/** jose options pinning `algorithms`; build once per authorizer, not per request. */
export function pinnedAlgorithms(algorithms: readonly string[]): VerifyOptions {
  return { algorithms: [...algorithms] }
}

async function verifyWithCandidates(
  token: string,
  candidates: AsyncIterable<CryptoKey>,
  options: VerifyOptions
): Promise<Uint8Array | undefined> {
  let tried = 0
  for await (const key of candidates) {
    if (++tried > MAX_CANDIDATE_KEYS) break
    try {
      const { payload } = await compactVerify(token, key, options)
      return payload
    } catch {
      // The next candidate may be the signer.
    }
  }
  return undefined
}

/** Verifies `token`'s signature with a key from `keys`; the payload bytes on success. */
export async function verifySignature(
  token: string,
  keys: KeySet,
  options: VerifyOptions
): Promise<Result<Uint8Array, SignatureFailure>> {
  try {
    const { payload } = await compactVerify(token, keys.resolve, options)
    return ok(payload)
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey) {
      return err({ kind: 'no-matching-key', reason: describe(error) })
    }
    if (error instanceof errors.JWKSMultipleMatchingKeys) {
      const payload = await verifyWithCandidates(token, error, options)
      if (payload !== undefined) return ok(payload)
    }
    return err({ kind: 'invalid', reason: describe(error) })
  }
}
