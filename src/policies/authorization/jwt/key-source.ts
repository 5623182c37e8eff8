/**
 * The key source of one compiled authorizer as one request sees it. Fixed URLs are resolved once;
 * a JWKS URI built from stage variables is substituted and put through the SSRF guard once per
 * distinct set of stage values (a stage, or its canary), then remembered.
 */
import { err, ok, type Result } from '../../../result'
import { checkJwksUrl, substituteStageVariables } from './jwks-url'
import type { KeySource } from './key-set'
import type { JwtSettings } from './jwt-settings'

/** Distinct substituted URLs remembered per authorizer (stages × canary, in practice a few). */
const MAX_REMEMBERED = 16

export type KeySourceFor = (
  variables: Readonly<Record<string, string>>
) => Result<KeySource, string>

export function keySourceResolver(settings: JwtSettings): KeySourceFor {
  const { keys, allowLoopback } = settings
  if (keys.kind === 'jwks') {
    const fixed = ok<KeySource>({ kind: 'jwks', url: keys.url, allowLoopback })
    return () => fixed
  }
  if (keys.kind === 'discovery') {
    const issuer = settings.claims.issuer
    const fixed = ok<KeySource>({ kind: 'discovery', url: keys.url, issuer, allowLoopback })
    return () => fixed
  }
  const remembered = new Map<string, Result<KeySource, string>>()
  return (variables) => {
    const url = substituteStageVariables(keys.template, variables)
    if (url === undefined) return err('the jwksUri names a stage variable that is not set')
    const known = remembered.get(url)
    if (known !== undefined) return known
    const checked = checkJwksUrl(url, allowLoopback)
    const result: Result<KeySource, string> = checked.ok
      ? ok({ kind: 'jwks', url: checked.value, allowLoopback })
      : err(`the jwksUri is refused: ${checked.error}`)
    if (remembered.size < MAX_REMEMBERED) remembered.set(url, result)
    return result
  }
}
