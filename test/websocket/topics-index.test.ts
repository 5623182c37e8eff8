import { env } from 'cloudflare:workers'
import { runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { Outbox } from '../../src/websocket/hub/outbox'
import { TopicIndex, isValidTopic, subscribeOutcome } from '../../src/websocket/hub/topics'

function hub(name: string) {
  return env.WEBSOCKET_HUB.get(env.WEBSOCKET_HUB.idFromName(`topics-index-test:${name}`))
}

describe('topic index', () => {
  it('validates names: 1-128 URL-safe characters starting with a letter or digit', () => {
    for (const ok of ['a', 'room-1', 'news:eu', 'a.b_c~d', 'x'.repeat(128)]) {
      expect(isValidTopic(ok), ok).toBe(true)
    }
    for (const bad of ['', '.', '..', '-a', 'a/b', 'a b', 'é', 'a%2F', 'x'.repeat(129)]) {
      expect(isValidTopic(bad), bad).toBe(false)
    }
  })

  it('keeps subscriptions in storage: a new index over the same storage sees them', async () => {
    await runInDurableObject(hub('persist'), (_instance, state) => {
      const first = new TopicIndex(state.storage.sql)
      expect(first.subscribe('c1', ['a', 'b']).ok).toBe(true)
      expect(first.subscribe('c2', ['a']).ok).toBe(true)
      const second = new TopicIndex(state.storage.sql)
      expect(second.subscribers('a')).toEqual(['c1', 'c2'])
      expect(second.topicsOf('c1')).toEqual(['a', 'b'])
      second.removeConnection('c1')
      expect(first.subscribers('a')).toEqual(['c2'])
      expect(first.topicsOf('c1')).toEqual([])
    })
  })

  it('drops subscriptions whose socket no longer exists when publishing, without counting them', async () => {
    await runInDurableObject(hub('stale'), (_instance, state) => {
      const index = new TopicIndex(state.storage.sql)
      index.subscribe('ghost', ['t'])
      const result = index.publish('t', 'x', new Outbox(), () => undefined)
      expect(result).toEqual({ delivered: 0, dropped: 0 })
      expect(index.subscribers('t')).toEqual([])
    })
  })

  it('refuses a subscribe for a connection that is not on this hub', async () => {
    await runInDurableObject(hub('gone'), (_instance, state) => {
      const index = new TopicIndex(state.storage.sql)
      expect(subscribeOutcome(index, false, 'c', ['t'])).toEqual({ ok: false, error: 'gone' })
      expect(index.subscribers('t')).toEqual([])
    })
  })
})
