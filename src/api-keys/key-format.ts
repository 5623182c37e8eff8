/**
 * API key values (docs/api-keys.md). Generated keys are `ptk_` + 40 random base62 characters
 * (≥ 238 bits) + a 6-character base62 CRC-32 of everything before it, so a scanner can recognise
 * a leaked Portico key with few false positives without asking the gateway. Supplied values
 * follow AWS: 20–128 characters.
 */
import { err, ok, type Result } from '../result'
import { crc32 } from './crc32'

export const KEY_PREFIX = 'ptk_'
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const RANDOM_LENGTH = 40
const CHECKSUM_LENGTH = 6
/** Largest multiple of 62 below 256: bytes at or above it are redrawn (no modulo bias). */
const UNBIASED_LIMIT = 256 - (256 % BASE62.length)
const GENERATED = /^ptk_[0-9A-Za-z]{46}$/
/** Public prefix length: `ptk_` + 4 random characters (`value_prefix` column). */
const PREFIX_LENGTH = 8

function randomBase62(length: number): string {
  let out = ''
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte >= UNBIASED_LIMIT) continue
      out += BASE62.charAt(byte % BASE62.length)
      if (out.length === length) break
    }
  }
  return out
}

/** `n` as exactly `CHECKSUM_LENGTH` base62 digits (62^6 > 2^32, so every CRC fits). */
function checksumDigits(n: number): string {
  let out = ''
  let rest = n
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62.charAt(rest % 62) + out
    rest = Math.floor(rest / 62)
  }
  return out
}

/** A new key value: `ptk_` + 40 random base62 characters + 6-character checksum. */
export function generateApiKey(): string {
  const body = KEY_PREFIX + randomBase62(RANDOM_LENGTH)
  return body + checksumDigits(crc32(body))
}

/** Whether `value` has the generated-key shape and its checksum matches. */
export function hasValidChecksum(value: string): boolean {
  if (!GENERATED.test(value)) return false
  const body = value.slice(0, -CHECKSUM_LENGTH)
  return value.slice(-CHECKSUM_LENGTH) === checksumDigits(crc32(body))
}

/**
 * A value supplied by the operator (AWS: 20–128 characters), as printable ASCII without spaces
 * (HTTP trims header whitespace, so a space could never be presented reliably). A value that
 * looks like a Portico key must carry a valid checksum, so scanners keep trusting the prefix.
 */
export function isAcceptableSuppliedValue(value: string): Result<string, string> {
  if (value.length < 20 || value.length > 128) {
    return err('API key value must be 20 to 128 characters long')
  }
  if (!/^[\x21-\x7e]+$/.test(value)) {
    return err('API key value must be printable ASCII characters without spaces')
  }
  if (value.startsWith(KEY_PREFIX) && !hasValidChecksum(value)) {
    return err(`API key value starting with ${KEY_PREFIX} must be a well-formed Portico key`)
  }
  return ok(value)
}

/** The public part kept beside the hash (`value_prefix`): the first 8 characters. */
export function valuePrefix(value: string): string {
  return value.slice(0, PREFIX_LENGTH)
}
