/**
 * TOKEN authorizers' `identityValidationExpression`: vetted by the shared ReDoS check
 * (config/safe-regex.ts: nested or overlapping repetition, backreferences refused), compiled
 * once, and matched against the whole token (AWS evaluates it as a full match). The token is
 * length-capped before the match.
 */
import { checkSafeRegex } from '../../../config/safe-regex'
import { err, ok, type Result } from '../../../result'

/** Longer tokens are refused (401) without running the expression. */
export const MAX_TOKEN_LENGTH = 16384

/** Compiles the expression as a full-match pattern, or says why it is refused. */
export function compileTokenPattern(source: string): Result<RegExp, string> {
  const problem = checkSafeRegex(source)
  if (problem !== undefined) return err(`is refused: ${problem}`)
  return ok(new RegExp(`^(?:${source})$`, 'u'))
}
