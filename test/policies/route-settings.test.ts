import { describe, expect, it } from 'vitest'
import {
  methodSpecificSettings,
  routeMethodOf,
  routeSpecificSettings,
} from '../../src/policies/route-settings'
import { routeThrottle } from '../../src/policies/throttle/limits'

const anyRoute = { routeKey: 'ANY /pets', resourcePath: '/pets', routeMethod: 'ANY' }
const getRoute = { routeKey: 'GET /pets', resourcePath: '/pets', routeMethod: 'GET' }

describe('route settings lookup (shared by throttle and cache)', () => {
  it('reads the route method from the route key', () => {
    expect(routeMethodOf('GET /pets')).toBe('GET')
    expect(routeMethodOf('$default')).toBe('ANY')
  })

  it('prefers the request method’s own key, then the route key, then /path/ROUTEMETHOD', () => {
    const map = {
      '/pets/GET': { throttlingBurstLimit: 1 },
      'ANY /pets': { throttlingBurstLimit: 2 },
      '/pets/ANY': { throttlingBurstLimit: 3 },
    }
    expect(routeSpecificSettings(map, anyRoute, 'GET')).toBe(map['/pets/GET'])
    expect(routeSpecificSettings(map, anyRoute, 'POST')).toBe(map['ANY /pets'])
    expect(routeSpecificSettings({ '/pets/ANY': map['/pets/ANY'] }, anyRoute, 'POST')).toBe(
      map['/pets/ANY']
    )
    expect(methodSpecificSettings(map, anyRoute, 'POST')).toBeUndefined()
    expect(routeSpecificSettings({ 'GET /pets': map['/pets/GET'] }, getRoute, 'GET')).toBe(
      map['/pets/GET']
    )
  })

  it('never resolves a key from the prototype', () => {
    const proto = { routeKey: 'constructor', resourcePath: '', routeMethod: 'ANY' }
    expect(routeSpecificSettings({}, proto, 'toString')).toBeUndefined()
  })

  it('throttles with the route’s settings over the stage default, field by field', () => {
    const defaults = { throttlingBurstLimit: 10, throttlingRateLimit: 5 }
    const map = { '/pets/GET': { throttlingBurstLimit: 1 } }
    expect(routeThrottle(anyRoute, 'GET', defaults, map)).toEqual({ burstLimit: 1, rateLimit: 5 })
    expect(routeThrottle(anyRoute, 'PUT', defaults, map)).toEqual({ burstLimit: 10, rateLimit: 5 })
    expect(routeThrottle(anyRoute, 'PUT', undefined, map)).toBeUndefined()
    expect(
      routeThrottle(anyRoute, 'GET', undefined, { '/pets/GET': { throttlingRateLimit: 2.5 } })
    ).toEqual({ burstLimit: 3, rateLimit: 2.5 })
  })
})
