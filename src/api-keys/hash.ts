/**
 * Key hashing. Plain SHA-256 (no pepper, no slow KDF): generated keys carry ≥ 238 bits of
 * entropy, so a fast hash cannot be brute-forced and the data plane can look a key up by its hash
 * in one indexed query — no secret comparison in code, hence no timing leak on the value. Weak
 * operator-supplied values are the operator's responsibility (docs/api-keys.md).
 */

/** SHA-256 of the UTF-8 value, lower-case hex (the `api_keys.key_hash` column). */
export async function hashApiKey(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value))
  let hex = ''
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0')
  return hex
}
