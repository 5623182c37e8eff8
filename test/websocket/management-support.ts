/** Helpers for the @connections / topics tests: a WebSocket API, sockets through the worker's
 * upgrade path, and SigV4-signed management calls (aws4fetch, signing name `execute-api`). */
import { AwsV4Signer } from 'aws4fetch'
import { env, exports } from 'cloudflare:workers'
import { seedApi, type Seeded } from '../support/seed'

export interface Client {
  ws: WebSocket
  connectionId: string
  /** Text frames received after the id was learned. */
  received: string[]
  closed: Promise<CloseEvent>
  /** Resolves once `received` holds at least `n` frames (bounded wait). */
  waitFor(n: number): Promise<void>
}

export function seedWebSocketApi(): Promise<Seeded> {
  return seedApi({
    protocolType: 'WEBSOCKET',
    routes: [],
    integrations: [],
    apiExtras: { routeSelectionExpression: '$request.body.action' },
  })
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/**
 * Connects through the data plane. The id is learned from the error frame a message without a
 * route gets (`{"message":"Forbidden","connectionId":…}`), as AWS sends.
 */
export async function connect(host: string, stage = 'dev'): Promise<Client> {
  const res = await exports.default.fetch(`http://${host}/${stage}`, {
    headers: { host, upgrade: 'websocket', 'user-agent': 'portico-test/1.0' },
  })
  const ws = res.webSocket
  if (res.status !== 101 || ws === null) throw new Error(`no upgrade: ${String(res.status)}`)
  ws.accept()
  const frames: string[] = []
  ws.addEventListener('message', (e) => {
    frames.push(typeof e.data === 'string' ? e.data : '<binary>')
  })
  const closed = new Promise<CloseEvent>((resolve) => {
    ws.addEventListener('close', resolve)
  })
  ws.send('who am i')
  await until(() => frames.length > 0, 'the error frame')
  const first: unknown = JSON.parse(frames.shift() ?? '')
  const connectionId =
    typeof first === 'object' && first !== null && 'connectionId' in first
      ? String(first.connectionId)
      : ''
  return {
    ws,
    connectionId,
    received: frames,
    closed,
    waitFor: (n) => until(() => frames.length >= n, `${String(n)} frames`),
  }
}

export interface ManageOptions {
  method: string
  body?: string | Uint8Array
  secretAccessKey?: string
  service?: string
  datetime?: string
}

/** A SigV4-signed management request to `{host}/{stage}{path}`. */
export async function manage(host: string, path: string, o: ManageOptions): Promise<Response> {
  const signer = new AwsV4Signer({
    method: o.method,
    url: `http://${host}${path}`,
    headers: { host },
    ...(o.body === undefined ? {} : { body: o.body }),
    accessKeyId: env.ADMIN_ACCESS_KEY_ID ?? '',
    secretAccessKey: o.secretAccessKey ?? env.ADMIN_SECRET_ACCESS_KEY ?? '',
    service: o.service ?? 'execute-api',
    region: 'eu-west-1',
    ...(o.datetime === undefined ? {} : { datetime: o.datetime }),
  })
  const s = await signer.sign()
  return exports.default.fetch(s.url, {
    method: s.method,
    headers: s.headers,
    ...(o.body === undefined ? {} : { body: o.body }),
  })
}

export function closeAll(clients: readonly Client[]): void {
  for (const c of clients) {
    try {
      c.ws.close(1000, 'done')
    } catch {
      // already closed
    }
  }
}

/** Polls GetConnection until the hub has seen the close (410), bounded. */
export async function untilGone(host: string, connectionId: string, stage = 'dev'): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const res = await manage(host, `/${stage}/@connections/${connectionId}`, { method: 'GET' })
    await res.body?.cancel()
    if (res.status === 410) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`connection ${connectionId} never went away`)
}
