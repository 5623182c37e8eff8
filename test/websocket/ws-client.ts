/** A WebSocket client for worker tests: handshake through the gateway, then frames in order. */
import { exports } from 'cloudflare:workers'
import { seedApi, type SeedOptions, type Seeded } from '../support/seed'

export interface TestSocket {
  readonly response: Response
  readonly ws: WebSocket
  /** The next text frame (waits up to `timeoutMs`). */
  next(timeoutMs?: number): Promise<string>
  /** Resolves with the close event's code once the socket is closed. */
  closed(): Promise<{ code: number; reason: string }>
  send(data: string | ArrayBuffer): void
}

export async function handshake(
  host: string,
  path = '/dev',
  headers: Record<string, string> = {}
): Promise<Response> {
  return exports.default.fetch(`http://${host}${path}`, {
    headers: { host, upgrade: 'websocket', ...headers },
  })
}

export async function connect(
  host: string,
  path = '/dev',
  headers: Record<string, string> = {}
): Promise<TestSocket> {
  const response = await handshake(host, path, headers)
  const ws = response.webSocket
  if (response.status !== 101 || ws === null) {
    throw new Error(`handshake answered ${String(response.status)}: ${await response.text()}`)
  }
  ws.accept()
  const frames: string[] = []
  const waiters: ((frame: string) => void)[] = []
  let closeEvent: { code: number; reason: string } | undefined
  const closeWaiters: ((e: { code: number; reason: string }) => void)[] = []
  ws.addEventListener('message', (event) => {
    const data = typeof event.data === 'string' ? event.data : new TextDecoder().decode(event.data)
    const waiter = waiters.shift()
    if (waiter === undefined) frames.push(data)
    else waiter(data)
  })
  ws.addEventListener('close', (event) => {
    closeEvent = { code: event.code, reason: event.reason }
    for (const w of closeWaiters.splice(0)) w(closeEvent)
  })
  return {
    response,
    ws,
    send: (data) => {
      ws.send(data)
    },
    next: (timeoutMs = 5000) => {
      const ready = frames.shift()
      if (ready !== undefined) return Promise.resolve(ready)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error('no frame in time'))
        }, timeoutMs)
        waiters.push((frame) => {
          clearTimeout(timer)
          resolve(frame)
        })
      })
    },
    closed: () =>
      closeEvent === undefined
        ? new Promise((resolve) => closeWaiters.push(resolve))
        : Promise.resolve(closeEvent),
  }
}

const ECHO_TEMPLATE = '{"route":"$context.routeKey","connection":"$context.connectionId"}'

/** A MOCK integration answering with the route key and connection id. */
export function mockIntegration(id: string, template = ECHO_TEMPLATE) {
  return {
    id,
    type: 'MOCK' as const,
    requestTemplates: { $default: '{"statusCode": 200}' },
    integrationResponses: [
      {
        id: `${id}r`,
        integrationResponseKey: '$default',
        responseTemplates: { $default: template },
      },
    ],
  }
}

/** A WEBSOCKET API with `$default` and `sendMessage` MOCK routes that answer. */
export function seedWebSocketApi(extra: Partial<SeedOptions> = {}): Promise<Seeded> {
  return seedApi({
    protocolType: 'WEBSOCKET',
    routes: [
      {
        id: 'rdefault',
        routeKey: '$default',
        integrationId: 'idefault',
        routeResponseSelectionExpression: '$default',
      },
      {
        id: 'rsend',
        routeKey: 'sendMessage',
        integrationId: 'isend',
        routeResponseSelectionExpression: '$default',
      },
    ],
    integrations: [mockIntegration('idefault'), mockIntegration('isend')],
    ...extra,
    apiExtras: { routeSelectionExpression: '$request.body.action', ...extra.apiExtras },
  })
}
