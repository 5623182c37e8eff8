import { describe, expect, it } from 'vitest'
import { cidrContains, parseCidr, parseIp } from '../../../src/policies/resource-policy/cidr'
import {
  compileResourcePolicy,
  decide,
  type CompiledResourcePolicy,
} from '../../../src/policies/resource-policy/resource-policy'

function block(text: string) {
  const parsed = parseCidr(text)
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error}`)
  return parsed.block
}

function contains(cidr: string, ip: string): boolean {
  const address = parseIp(ip)
  if (address === undefined) throw new Error(`${ip} does not parse`)
  return cidrContains(block(cidr), address)
}

describe('parseIp', () => {
  it.each([
    ['0.0.0.0', [0, 0, 0xffff, 0]],
    ['255.255.255.255', [0, 0, 0xffff, 0xffffffff]],
    ['192.0.2.1', [0, 0, 0xffff, 0xc0000201]],
    ['::', [0, 0, 0, 0]],
    ['::1', [0, 0, 0, 1]],
    ['1::', [0x10000, 0, 0, 0]],
    ['2001:db8::8:800:200c:417a', [0x20010db8, 0, 0x80800, 0x200c417a]],
    ['2001:DB8:0:0:8:800:200C:417A', [0x20010db8, 0, 0x80800, 0x200c417a]],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]],
    ['::ffff:192.0.2.1', [0, 0, 0xffff, 0xc0000201]],
    ['::FFFF:c000:201', [0, 0, 0xffff, 0xc0000201]],
    ['0:0:0:0:0:ffff:192.0.2.1', [0, 0, 0xffff, 0xc0000201]],
    ['::192.0.2.1', [0, 0, 0, 0xc0000201]],
  ])('%s', (text, words) => {
    expect(parseIp(text)).toEqual(words)
  })

  it.each([
    '',
    ' ',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.1',
    '01.2.3.4',
    '1.2.3.04',
    '1.2.3.-4',
    '+1.2.3.4',
    '1.2.3.4 ',
    '0x7f.0.0.1',
    '2130706433',
    '1..2.3',
    ':',
    ':::',
    '1:::2',
    '1::2::3',
    ':1::',
    '::1:',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1:2:3:4::5:6:7:8',
    '12345::',
    'g::1',
    '::ffff:1.2.3',
    '::ffff:256.1.1.1',
    '1.2.3.4::',
    '::1.2.3.4:5',
    'fe80::1%eth0',
    '[::1]',
    '1.2.3.4:80',
    'localhost',
    '1.2.3.4/32',
    'x'.repeat(100),
    '1:'.repeat(40),
  ])('refuses %j', (text) => {
    expect(parseIp(text)).toBeUndefined()
  })
})

describe('parseCidr and containment', () => {
  it.each<[string, string, boolean]>([
    // IPv4 edges
    ['0.0.0.0/0', '0.0.0.0', true],
    ['0.0.0.0/0', '255.255.255.255', true],
    ['0.0.0.0/0', '2001:db8::1', false],
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['10.0.0.0/8', '9.255.255.255', false],
    ['192.168.1.0/24', '192.168.1.200', true],
    ['192.168.1.0/24', '192.168.2.1', false],
    ['192.0.2.1/32', '192.0.2.1', true],
    ['192.0.2.1/32', '192.0.2.2', false],
    ['192.0.2.1', '192.0.2.1', true],
    ['192.0.2.1', '192.0.2.0', false],
    ['128.0.0.0/1', '127.255.255.255', false],
    ['128.0.0.0/1', '128.0.0.0', true],
    ['203.0.113.128/25', '203.0.113.127', false],
    ['203.0.113.128/25', '203.0.113.255', true],
    ['198.51.100.0/31', '198.51.100.1', true],
    // IPv4-mapped clients match IPv4 rules, and mapped rules match IPv4 clients
    ['10.0.0.0/8', '::ffff:10.1.2.3', true],
    ['10.0.0.0/8', '::ffff:a01:203', true],
    ['10.0.0.0/8', '::ffff:11.1.2.3', false],
    ['192.0.2.1', '::ffff:192.0.2.1', true],
    ['::ffff:10.0.0.0/104', '10.9.9.9', true],
    ['::ffff:10.0.0.0/104', '11.9.9.9', false],
    ['::ffff:0.0.0.0/96', '1.2.3.4', true],
    // IPv4-compatible (::a.b.c.d) is not mapped
    ['10.0.0.0/8', '::10.1.2.3', false],
    // IPv6 edges
    ['::/0', '::', true],
    ['::/0', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', true],
    ['::/0', '1.2.3.4', true],
    ['::/128', '::', true],
    ['::/128', '::1', false],
    ['::1/128', '::1', true],
    ['::1', '::1', true],
    ['::1', '::2', false],
    ['2001:db8::/32', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', true],
    ['2001:db8::/32', '2001:db9::', false],
    ['2001:db8::/32', '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff', false],
    ['2001:db8:0:1::/64', '2001:db8:0:1:ffff::1', true],
    ['2001:db8:0:1::/64', '2001:db8:0:2::1', false],
    ['2001:db8::/33', '2001:db8:8000::', false],
    ['2001:db8::/33', '2001:db8:7fff::', true],
    ['2001:db8::8000:0/97', '2001:db8::ffff:ffff', true],
    ['2001:db8::8000:0/97', '2001:db8::7fff:ffff', false],
    ['2001:db8::ff00/120', '2001:db8::ffff', true],
    ['2001:db8::ff00/120', '2001:db8::feff', false],
    ['fe80::/10', 'febf::1', true],
    ['fe80::/10', 'fec0::1', false],
    ['2001:db8::/32', '10.0.0.1', false],
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    expect(contains(cidr, ip)).toBe(expected)
  })

  it.each([
    ['0.0.0.0/0', 96],
    ['1.2.3.4/32', 128],
    ['1.2.3.4', 128],
    ['::/0', 0],
    ['::1/128', 128],
    ['2001:db8::', 128],
  ])('%s has a 128-bit prefix of %i', (text, prefix) => {
    expect(block(text).prefix).toBe(prefix)
  })

  it.each([
    ['', 'must be 1–64 characters'],
    ['1.2.3.4/33', 'prefix length must be a number from 0 to 32'],
    ['1.2.3.4/', 'prefix length must be a number from 0 to 32'],
    ['1.2.3.4/-1', 'prefix length must be a number from 0 to 32'],
    ['1.2.3.4/08', 'prefix length must be a number from 0 to 32'],
    ['1.2.3.4/3 ', 'prefix length must be a number from 0 to 32'],
    ['1.2.3.4/32/1', 'prefix length must be a number from 0 to 32'],
    ['::/129', 'prefix length must be a number from 0 to 128'],
    ['::/1000', 'prefix length must be a number from 0 to 128'],
    ['10.0.0.1/8', 'has bits set after the prefix length (use the network address)'],
    ['2001:db8::1/32', 'has bits set after the prefix length (use the network address)'],
    ['1.2.3/24', 'IPv4 address is not valid'],
    ['/8', 'IPv4 address is not valid'],
    ['banana', 'IPv4 address is not valid'],
    ['::g/64', 'IPv6 address is not valid'],
    ['fe80::1%eth0/64', 'IPv6 address is not valid'],
    ['1'.repeat(65), 'must be 1–64 characters'],
  ])('refuses %j (%s)', (text, error) => {
    expect(parseCidr(text)).toEqual({ ok: false, error })
  })
})

describe('resource policy decisions', () => {
  function compiled(
    api: { sourceIpAllow?: string[]; sourceIpDeny?: string[] } | undefined,
    route?: { sourceIpAllow?: string[]; sourceIpDeny?: string[] }
  ): CompiledResourcePolicy {
    const result = compileResourcePolicy(api, route)
    if (!result.ok || result.policy === undefined) throw new Error('no policy')
    return result.policy
  }

  it('has no policy when no list is present', () => {
    expect(compileResourcePolicy(undefined, undefined)).toEqual({ ok: true, policy: undefined })
    expect(compileResourcePolicy({}, {})).toEqual({ ok: true, policy: undefined })
  })

  it('lets deny win over allow', () => {
    const policy = compiled({ sourceIpAllow: ['10.0.0.0/8'], sourceIpDeny: ['10.1.0.0/16'] })
    expect(decide(policy, '10.2.0.1').allowed).toBe(true)
    expect(decide(policy, '10.1.0.1').allowed).toBe(false)
    expect(decide(policy, '::ffff:10.1.0.1').allowed).toBe(false)
    expect(decide(policy, '11.0.0.1').allowed).toBe(false)
  })

  it('adds route lists to the API lists', () => {
    const policy = compiled(
      { sourceIpAllow: ['10.0.0.0/8'] },
      { sourceIpAllow: ['2001:db8::/32'], sourceIpDeny: ['10.9.0.0/16'] }
    )
    expect(decide(policy, '10.0.0.1').allowed).toBe(true)
    expect(decide(policy, '2001:db8::5').allowed).toBe(true)
    expect(decide(policy, '10.9.0.1').allowed).toBe(false)
    expect(decide(policy, '2001:db9::5').allowed).toBe(false)
  })

  it('allows anyone not denied when only deny lists exist', () => {
    const policy = compiled(undefined, { sourceIpDeny: ['203.0.113.7'] })
    expect(decide(policy, '203.0.113.8').allowed).toBe(true)
    expect(decide(policy, '203.0.113.7')).toEqual({
      allowed: false,
      reason: 'client IP matches a deny rule',
    })
  })

  it('allows nobody under a present but empty allow list', () => {
    const policy = compiled({ sourceIpAllow: [] })
    expect(decide(policy, '10.0.0.1')).toEqual({
      allowed: false,
      reason: 'client IP matches no allow rule',
    })
  })

  it.each(['', 'unknown', '1.2.3.4, 5.6.7.8', '[::1]', 'x'.repeat(5000)])(
    'denies a client IP that does not parse (%j) whenever a list exists',
    (ip) => {
      expect(decide(compiled(undefined, { sourceIpDeny: ['192.0.2.1'] }), ip)).toEqual({
        allowed: false,
        reason: 'client IP is not a valid address',
      })
      expect(decide(compiled({ sourceIpAllow: ['::/0'] }), ip).allowed).toBe(false)
    }
  )

  it('reports the first bad entry instead of building', () => {
    expect(
      compileResourcePolicy({ sourceIpAllow: ['10.0.0.0/8'] }, { sourceIpDeny: ['nope'] })
    ).toEqual({
      ok: false,
      error: 'route sourceIpDeny[0]: IPv4 address is not valid',
    })
  })
})
