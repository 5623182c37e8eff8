/**
 * The JWS algorithms a JWT authorizer may pin: asymmetric ones only, since a shared secret could
 * never sit in a public JWKS (and never `none`). One list for the config schema's enum and the
 * edge's compile-time check, so the two cannot drift.
 */
export const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const
