import { describe, expect, it } from 'vitest'
import { canonicalizePath } from '../../src/routing/canonical-path'
import { isManagementPath, parseManagementPath } from '../../src/websocket/management/paths'

function canonical(path: string): string {
  const result = canonicalizePath(path)
  if (!result.ok) throw new Error(result.error)
  return result.value
}

describe('management paths', () => {
  it('keeps a raw @ through the canonical path', () => {
    expect(canonical('/@connections/abc')).toBe('/@connections/abc')
    expect(canonical('/@topics/room:1')).toBe('/@topics/room:1')
  })

  it('recognizes the AWS resource and the Portico extensions', () => {
    expect(parseManagementPath('/@connections/AAAAAAAAAAAAAAAA')).toEqual({
      kind: 'connection',
      connectionId: 'AAAAAAAAAAAAAAAA',
    })
    expect(parseManagementPath('/@connections/id/topics')).toEqual({
      kind: 'connection-topics',
      connectionId: 'id',
    })
    expect(parseManagementPath('/@connections/id/topics/news%3Aeu')).toEqual({
      kind: 'connection-topic',
      connectionId: 'id',
      topic: 'news:eu',
    })
    expect(parseManagementPath('/@topics/room')).toEqual({ kind: 'topic', topic: 'room' })
  })

  it('answers unknown for anything else below @connections or @topics', () => {
    for (const path of [
      '/@connections',
      '/@connections/',
      '/@connections/id/',
      '/@connections/id/other',
      '/@connections/id/topics/a/b',
      '/@topics/a/b',
      '/@topics//',
      '/@connections/%E0%A4%A',
    ]) {
      expect(parseManagementPath(path), path).toEqual({ kind: 'unknown' })
    }
  })

  it('leaves look-alike paths to routing', () => {
    for (const path of ['/', '/@connectionsX/a', '/x/@connections/a', '/%40connections/a']) {
      expect(isManagementPath(path), path).toBe(false)
    }
    expect(isManagementPath('/@connections')).toBe(true)
  })
})
