/**
 * apigatewayv2 route keys, checked as AWS checks them when a route is created: HTTP APIs take
 * `$default` or `METHOD /path` (path parameters `{name}`, a greedy `{name+}` only last); WebSocket
 * APIs take `$connect`, `$disconnect`, `$default` or a custom key matched against the route
 * selection expression.
 */
import type { ProtocolType } from '../../config/types'
import { MAX_ROUTE_KEY_LENGTH } from '../../config/limits'

const HTTP_METHODS = ['ANY', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']
const LITERAL_SEGMENT = /^[A-Za-z0-9._~!$&'()*+,=:@-]+$/
const PARAM_SEGMENT = /^\{[A-Za-z0-9._-]+\}$/
const GREEDY_SEGMENT = /^\{[A-Za-z0-9._-]+\+\}$/

function httpPathProblem(path: string): string | undefined {
  if (path === '/') return undefined
  if (!path.startsWith('/')) return 'the path must start with /'
  const segments = path.slice(1).split('/')
  const names = new Set<string>()
  for (const [i, seg] of segments.entries()) {
    if (seg === '') return 'the path has an empty segment'
    if (seg === '.' || seg === '..') return 'the path has a dot segment'
    if (GREEDY_SEGMENT.test(seg)) {
      if (i !== segments.length - 1) return 'a greedy path variable must be the last segment'
    } else if (!PARAM_SEGMENT.test(seg) && !LITERAL_SEGMENT.test(seg)) {
      return `the path segment '${seg}' is not allowed`
    }
    if (seg.startsWith('{')) {
      const name = seg.replace(/^\{|\+?\}$/g, '')
      if (names.has(name)) return `the path variable '${name}' appears twice`
      names.add(name)
    }
  }
  return undefined
}

/** Why `routeKey` is not a valid key for an API of `protocol`, or undefined when it is. */
export function routeKeyProblem(protocol: ProtocolType, routeKey: string): string | undefined {
  if (routeKey.length > MAX_ROUTE_KEY_LENGTH) return 'the route key is too long'
  if (routeKey === '$default') return undefined
  if (protocol === 'WEBSOCKET') {
    if (routeKey.startsWith('$') && routeKey !== '$connect' && routeKey !== '$disconnect') {
      return 'the only reserved WebSocket route keys are $connect, $disconnect and $default'
    }
    return /^[\x21-\x7e]+$/.test(routeKey) ? undefined : 'the route key has invalid characters'
  }
  const space = routeKey.indexOf(' ')
  const method = space < 0 ? routeKey : routeKey.slice(0, space)
  if (space < 0 || !HTTP_METHODS.includes(method)) {
    return `expected '$default' or 'METHOD /path' with METHOD one of ${HTTP_METHODS.join(', ')}`
  }
  return httpPathProblem(routeKey.slice(space + 1))
}
