/**
 * `$context.*` substitution in WebSocket MOCK templates and integration-response templates
 * (`{"connection": "$context.connectionId"}`). Only the variables listed here are substituted;
 * anything else stays literal text (VTL is not evaluated). In a JSON-looking template each value
 * is JSON-string-escaped, so a caller-influenced value (user agent, authorizer context) cannot
 * break out of its string.
 */
import { formatRequestTime } from '../integrations/context-variables'
import { authorizerOf, type WebSocketCall } from './event'

const CONTEXT_REF =
  /\$\{context\.([A-Za-z0-9_.:-]+)\}|\$context\.([A-Za-z0-9_:-]+(?:\.[A-Za-z0-9_:-]+)*)/g

type Resolver = (call: WebSocketCall) => string | undefined

const VARIABLES: Readonly<Record<string, Resolver>> = {
  apiId: (c) => c.apiId,
  connectionId: (c) => c.connectionId,
  connectedAt: (c) => String(c.connectedAt),
  domainName: (c) => c.domainName,
  eventType: (c) => c.eventType,
  extendedRequestId: (c) => c.requestId,
  messageDirection: () => 'IN',
  messageId: (c) => c.messageId,
  requestId: (c) => c.requestId,
  requestTime: (c) => formatRequestTime(c.requestTime),
  requestTimeEpoch: (c) => String(c.requestTime),
  routeKey: (c) => c.routeKey,
  stage: (c) => c.stage,
  'identity.sourceIp': (c) => c.sourceIp,
  'identity.userAgent': (c) => c.userAgent,
  'identity.apiKeyId': (c) => c.apiKeyId,
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return value === undefined || value === null ? undefined : JSON.stringify(value)
}

function resolve(call: WebSocketCall, name: string): string | undefined {
  if (Object.hasOwn(VARIABLES, name)) return VARIABLES[name]?.(call)
  if (name.startsWith('authorizer.')) {
    const authorizer = authorizerOf(call)
    const key = name.slice('authorizer.'.length)
    return authorizer !== undefined && Object.hasOwn(authorizer, key)
      ? scalar(authorizer[key])
      : undefined
  }
  return undefined
}

function known(name: string): boolean {
  return Object.hasOwn(VARIABLES, name) || /^authorizer\.[A-Za-z0-9_:-]+$/.test(name)
}

/** Renders `template` for `call`. Unknown values render as the empty string. */
export function renderTemplate(template: string, call: WebSocketCall): string {
  const json = /^\s*[{[]/.test(template)
  return template.replace(CONTEXT_REF, (whole, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? ''
    if (!known(name)) return whole
    const value = resolve(call, name) ?? ''
    return json ? JSON.stringify(value).slice(1, -1) : value
  })
}
