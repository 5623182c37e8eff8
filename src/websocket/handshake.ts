/**
 * Which requests to a WEBSOCKET API are handshakes: a GET with `Upgrade: websocket` to the
 * stage root. Anything else is refused as AWS does: a path below the stage is 403 Forbidden (no
 * such resource), a plain request to the root is 426 Upgrade Required.
 */
import { GatewayError } from '../errors/gateway-error'
import type { RouteMatch } from '../routing/route-table'
import type { CompiledWebSocket } from './compile'

export function matchHandshake(
  request: Request,
  path: string,
  webSocket: CompiledWebSocket | undefined
): RouteMatch {
  if (webSocket === undefined) {
    throw new GatewayError('API_CONFIGURATION_ERROR', { reason: 'WebSocket API not compiled' })
  }
  if (path !== '/') {
    throw new GatewayError('DEFAULT_4XX', { status: 403, message: 'Forbidden', reason: 'path' })
  }
  const upgrade = request.headers.get('upgrade')
  if (request.method !== 'GET' || upgrade?.toLowerCase() !== 'websocket') {
    throw new GatewayError('DEFAULT_4XX', {
      status: 426,
      message: 'Upgrade Required',
      reason: 'not a WebSocket handshake',
      headers: { upgrade: 'websocket' },
    })
  }
  return { route: webSocket.connectRoute, pathParameters: {}, resourcePath: '$connect' }
}
