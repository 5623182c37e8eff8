import { describe, expect, it } from 'vitest'
import {
  ACK_ACTION,
  Outbox,
  SLOW_CONSUMER_CLOSE_CODE,
  parseAck,
} from '../../src/websocket/hub/outbox'

interface Peer {
  server: WebSocket
  received: string[]
  closed: Promise<CloseEvent>
}

/** A connected socket pair: the outbox sends on `server`, `received` is what the peer got. */
function peer(): Peer {
  const pair = new WebSocketPair()
  const [client, server] = [pair[0], pair[1]]
  server.accept()
  client.accept()
  const received: string[] = []
  client.addEventListener('message', (e) => {
    received.push(typeof e.data === 'string' ? e.data : '<binary>')
  })
  const closed = new Promise<CloseEvent>((resolve) => {
    client.addEventListener('close', resolve)
  })
  return { server, received, closed }
}

/** Lets the runtime deliver queued in-process frames. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0))
}

const ack = (count: number) => JSON.stringify({ action: ACK_ACTION, count })

describe('outbox', () => {
  it('delivers frames to a connection in the order they were sent', async () => {
    const outbox = new Outbox()
    const p = peer()
    const sent = Array.from({ length: 50 }, (_, i) => outbox.send('c1', p.server, `m${String(i)}`))
    await settle()
    expect(sent.every((d) => d === 'sent')).toBe(true)
    expect(p.received).toEqual(Array.from({ length: 50 }, (_, i) => `m${String(i)}`))
  })

  it('closes an acknowledging connection with 1013 once its unacknowledged frames pass the cap, while others keep receiving', async () => {
    const outbox = new Outbox({ maxQueuedMessages: 10 })
    const slow = peer()
    const fast = peer()
    // Both opt in; the fast one keeps acknowledging, the slow one stops after its first ack.
    expect(outbox.receive('slow', ack(0))).toBe(true)
    expect(outbox.receive('fast', ack(0))).toBe(true)
    const outcomes: string[] = []
    for (let i = 0; i < 30; i++) {
      outcomes.push(outbox.send('slow', slow.server, `m${String(i)}`))
      expect(outbox.send('fast', fast.server, `m${String(i)}`)).toBe('sent')
      outbox.receive('fast', ack(1))
    }
    expect(outcomes.slice(0, 10).every((o) => o === 'sent')).toBe(true)
    expect(outcomes[10]).toBe('overloaded')
    expect(outcomes.slice(11).every((o) => o === 'gone')).toBe(true)
    const close = await slow.closed
    expect(close.code).toBe(SLOW_CONSUMER_CLOSE_CODE)
    expect(close.reason).toBe('Try Again Later')
    await settle()
    expect(slow.received).toEqual(Array.from({ length: 10 }, (_, i) => `m${String(i)}`))
    expect(fast.received).toHaveLength(30)
    expect(outbox.backlog('fast')).toEqual({ messages: 0, bytes: 0, acknowledging: true })
  })

  it('counts the bytes of unacknowledged frames against maxQueuedBytes', () => {
    const outbox = new Outbox({ maxQueuedBytes: 1000 })
    const p = peer()
    outbox.receive('c', ack(0))
    expect(outbox.send('c', p.server, 'x'.repeat(600))).toBe('sent')
    expect(outbox.backlog('c')).toEqual({ messages: 1, bytes: 600, acknowledging: true })
    outbox.receive('c', ack(1))
    expect(outbox.send('c', p.server, 'é'.repeat(300))).toBe('sent') // 600 UTF-8 bytes
    expect(outbox.send('c', p.server, 'x'.repeat(401))).toBe('overloaded')
  })

  it('estimates the backlog of a connection that does not acknowledge, drained at the assumed rate', () => {
    let now = 1_000_000
    const outbox = new Outbox({
      maxQueuedMessages: 5,
      drainMessagesPerSecond: 10,
      now: () => now,
    })
    const p = peer()
    for (let i = 0; i < 5; i++) expect(outbox.send('c', p.server, 'x')).toBe('sent')
    now += 200 // two frames drained at 10/s
    expect(outbox.send('c', p.server, 'x')).toBe('sent')
    expect(outbox.send('c', p.server, 'x')).toBe('sent')
    expect(outbox.backlog('c').acknowledging).toBe(false)
    expect(outbox.send('c', p.server, 'x')).toBe('overloaded')
  })

  it('answers gone for a closed socket and does not throw', () => {
    const outbox = new Outbox()
    const p = peer()
    p.server.close(1000, 'bye')
    expect(outbox.send('c', p.server, 'late')).toBe('gone')
  })

  it('leaves ordinary client frames to routing and ignores acknowledgements of frames never sent', () => {
    const outbox = new Outbox()
    expect(outbox.receive('c', '{"action":"sendMessage","count":1}')).toBe(false)
    expect(outbox.receive('c', new ArrayBuffer(4))).toBe(false)
    expect(outbox.receive('c', ack(5))).toBe(true)
    expect(outbox.backlog('c')).toEqual({ messages: 0, bytes: 0, acknowledging: true })
  })

  it('parses only well-formed acknowledgement frames', () => {
    expect(parseAck(ack(3))).toBe(3)
    expect(parseAck(`{"action":"${ACK_ACTION}","count":-1}`)).toBeUndefined()
    expect(parseAck(`{"action":"${ACK_ACTION}","count":1.5}`)).toBeUndefined()
    expect(parseAck(`{"action":"${ACK_ACTION}","count":"1"}`)).toBeUndefined()
    expect(parseAck(`{"action":"${ACK_ACTION}"`)).toBeUndefined()
    expect(
      parseAck(`{"action":"${ACK_ACTION}","count":1,"pad":"${'x'.repeat(64)}"}`)
    ).toBeUndefined()
  })
})

describe('outbox close hook', () => {
  it('hands a full connection to the hub close path instead of closing it itself', () => {
    const closed: string[] = []
    const outbox = new Outbox({
      maxQueuedMessages: 1,
      closeSlowConsumer: (id) => {
        closed.push(id)
      },
    })
    const p = peer()
    outbox.receive('c', ack(0))
    expect(outbox.send('c', p.server, 'a')).toBe('sent')
    expect(outbox.send('c', p.server, 'b')).toBe('overloaded')
    expect(closed).toEqual(['c'])
    expect(p.server.readyState).toBe(1)
  })
})
