import { describe, expect, it } from 'vitest'
import {
  checkUpstreamUrl,
  hasTemplatedHost,
  parseIpv4Loose,
  parseIpv6,
} from '../../src/config/upstream-url'

type Expect = 'accept' | 'refuse'
/** [url, without allowLoopback, with allowLoopback] */
const TABLE: [string, Expect, Expect][] = [
  // public
  ['https://api.example.com/pets', 'accept', 'accept'],
  ['http://example.com:8080/x?y=1', 'accept', 'accept'],
  ['https://8.8.8.8/', 'accept', 'accept'],
  ['https://[2606:4700:4700::1111]/', 'accept', 'accept'],
  ['https://[64:ff9b::808:808]/', 'accept', 'accept'], // NAT64 of 8.8.8.8
  ['https://[2002:808:808::1]/', 'accept', 'accept'], // 6to4 of 8.8.8.8
  ['http://a_b.example.com/', 'accept', 'accept'],
  ['https://bücher.example/', 'accept', 'accept'], // IDN → punycode
  // A public name that resolves to metadata: undetectable without DNS (documented limitation).
  ['http://169.254.169.254.nip.io/', 'accept', 'accept'],
  // loopback: only with allowLoopback
  ['http://127.0.0.1:8787/', 'refuse', 'accept'],
  ['http://127.255.255.254/', 'refuse', 'accept'],
  ['http://localhost/', 'refuse', 'accept'],
  ['http://LOCALHOST/', 'refuse', 'accept'],
  ['http://localhost./', 'refuse', 'accept'],
  ['http://api.localhost/', 'refuse', 'accept'],
  ['http://[::1]/', 'refuse', 'accept'],
  ['http://[0:0:0:0:0:0:0:1]/', 'refuse', 'accept'],
  ['http://127.0.0.1./', 'refuse', 'accept'],
  // other notations of 127.0.0.1 (WHATWG rewrites them; allowed with allowLoopback as loopback)
  ['http://0x7f000001/', 'refuse', 'accept'],
  ['http://2130706433/', 'refuse', 'accept'],
  ['http://017700000001/', 'refuse', 'accept'],
  ['http://127.1/', 'refuse', 'accept'],
  ['http://0x7f.1/', 'refuse', 'accept'],
  ['http://0177.0.0.1/', 'refuse', 'accept'],
  ['http://127.0.0.%31/', 'refuse', 'accept'],
  ['http://①②⑦.0.0.1/', 'refuse', 'accept'],
  // IPv4 embedded in IPv6: refused even with allowLoopback (only 127/8, ::1, localhost pass)
  ['http://[::ffff:127.0.0.1]/', 'refuse', 'refuse'],
  ['http://[0:0:0:0:0:ffff:7f00:1]/', 'refuse', 'refuse'],
  ['http://[::ffff:7f00:1]/', 'refuse', 'refuse'],
  ['http://[::127.0.0.1]/', 'refuse', 'refuse'],
  ['http://[::ffff:0:127.0.0.1]/', 'refuse', 'refuse'],
  ['http://[::ffff:8.8.8.8]/', 'refuse', 'refuse'],
  ['http://[64:ff9b::127.0.0.1]/', 'refuse', 'refuse'],
  ['http://[64:ff9b::a9fe:a9fe]/', 'refuse', 'refuse'],
  ['http://[2002:7f00:1::]/', 'refuse', 'refuse'],
  ['http://[2002:c0a8:101::1]/', 'refuse', 'refuse'],
  ['http://[64:ff9b:1::1]/', 'refuse', 'refuse'],
  // private / reserved IPv4
  ['http://0.0.0.0/', 'refuse', 'refuse'],
  ['http://0/', 'refuse', 'refuse'],
  ['http://10.1.2.3/', 'refuse', 'refuse'],
  ['http://100.64.0.1/', 'refuse', 'refuse'],
  ['http://100.127.255.255/', 'refuse', 'refuse'],
  ['http://169.254.169.254/latest/meta-data/', 'refuse', 'refuse'],
  ['http://0xa9fea9fe/', 'refuse', 'refuse'],
  ['http://172.16.0.1/', 'refuse', 'refuse'],
  ['http://172.31.255.255/', 'refuse', 'refuse'],
  ['http://192.0.0.8/', 'refuse', 'refuse'],
  ['http://192.0.2.1/', 'refuse', 'refuse'],
  ['http://192.88.99.1/', 'refuse', 'refuse'],
  ['http://192.168.1.1/', 'refuse', 'refuse'],
  ['http://198.18.0.1/', 'refuse', 'refuse'],
  ['http://198.19.255.255/', 'refuse', 'refuse'],
  ['http://198.51.100.7/', 'refuse', 'refuse'],
  ['http://203.0.113.9/', 'refuse', 'refuse'],
  ['http://224.0.0.1/', 'refuse', 'refuse'],
  ['http://239.255.255.250/', 'refuse', 'refuse'],
  ['http://240.0.0.1/', 'refuse', 'refuse'],
  ['http://255.255.255.255/', 'refuse', 'refuse'],
  // edges of private ranges stay public
  ['http://100.63.255.255/', 'accept', 'accept'],
  ['http://100.128.0.0/', 'accept', 'accept'],
  ['http://172.15.255.255/', 'accept', 'accept'],
  ['http://172.32.0.0/', 'accept', 'accept'],
  ['http://198.17.255.255/', 'accept', 'accept'],
  ['http://223.255.255.255/', 'accept', 'accept'],
  // IPv6 special ranges
  ['http://[::]/', 'refuse', 'refuse'],
  ['http://[fc00::1]/', 'refuse', 'refuse'],
  ['http://[fd12:3456::1]/', 'refuse', 'refuse'],
  ['http://[fe80::1]/', 'refuse', 'refuse'],
  ['http://[febf::1]/', 'refuse', 'refuse'],
  ['http://[fec0::1]/', 'refuse', 'refuse'],
  ['http://[ff02::1]/', 'refuse', 'refuse'],
  ['http://[2001:db8::1]/', 'refuse', 'refuse'],
  ['http://[3fff::1]/', 'refuse', 'refuse'],
  ['http://[2001::1]/', 'refuse', 'refuse'], // Teredo
  ['http://[100::1]/', 'refuse', 'refuse'], // discard-only
  ['http://[fe80::1%25eth0]/', 'refuse', 'refuse'], // zone ids are not URL syntax
  // names
  ['http://metadata/', 'refuse', 'refuse'],
  ['http://metadata.google.internal/computeMetadata/v1/', 'refuse', 'refuse'],
  ['http://instance-data/', 'refuse', 'refuse'],
  ['http://instance-data.ec2.internal/', 'refuse', 'refuse'],
  ['http://printer.local/', 'refuse', 'refuse'],
  ['http://db.internal/', 'refuse', 'refuse'],
  ['http://router.home.arpa/', 'refuse', 'refuse'],
  ['http://intranet/', 'refuse', 'refuse'],
  ['http://kubernetes/', 'refuse', 'refuse'],
  ['http://localhost.localdomain/', 'refuse', 'refuse'],
  ['http://{host}.example.com/', 'refuse', 'refuse'],
  // userinfo, schemes, malformed
  ['http://user:pw@example.com/', 'refuse', 'refuse'],
  ['http://user@example.com/', 'refuse', 'refuse'],
  ['http://@example.com/', 'refuse', 'refuse'],
  ['http://example.com@127.0.0.1/', 'refuse', 'refuse'],
  ['http://evil.com\\@127.0.0.1/', 'refuse', 'refuse'],
  ['http://example.com\\', 'refuse', 'refuse'],
  ['http://exa\tmple.com/', 'refuse', 'refuse'],
  ['http://example.com/a\nb', 'refuse', 'refuse'],
  [' http://example.com/', 'refuse', 'refuse'],
  ['file:///etc/passwd', 'refuse', 'refuse'],
  ['gopher://example.com:70/_x', 'refuse', 'refuse'],
  ['ftp://example.com/', 'refuse', 'refuse'],
  ['ws://example.com/', 'refuse', 'refuse'],
  ['javascript:alert(1)', 'refuse', 'refuse'],
  ['http:example.com', 'refuse', 'refuse'],
  ['//example.com/', 'refuse', 'refuse'],
  ['http:///', 'refuse', 'refuse'],
  ['http://', 'refuse', 'refuse'],
  ['http://1.2.3.4.5/', 'refuse', 'refuse'],
  ['http://[::1/', 'refuse', 'refuse'],
  ['', 'refuse', 'refuse'],
  [`https://example.com/${'a'.repeat(2100)}`, 'refuse', 'refuse'],
]

describe('checkUpstreamUrl', () => {
  it.each(TABLE)('%s: %s without allowLoopback, %s with it', (url, plain, loopback) => {
    expect(checkUpstreamUrl(url, { allowLoopback: false }).ok).toBe(plain === 'accept')
    expect(checkUpstreamUrl(url, { allowLoopback: true }).ok).toBe(loopback === 'accept')
  })

  it('relies on workerd rewriting every IPv4 notation to dotted decimal', () => {
    for (const host of [
      '0x7f000001',
      '2130706433',
      '017700000001',
      '127.1',
      '0x7f.1',
      '127.0.0.1.',
    ]) {
      expect(new URL(`http://${host}/`).hostname).toBe('127.0.0.1')
    }
    expect(new URL('http://[0:0:0:0:0:ffff:7f00:1]/').hostname).toBe('[::ffff:7f00:1]')
  })

  it('returns the parsed URL for an accepted upstream', () => {
    const result = checkUpstreamUrl('HTTPS://API.Example.com:8443/a', { allowLoopback: false })
    expect(result).toMatchObject({ ok: true })
    if (result.ok) expect(result.value.host).toBe('api.example.com:8443')
  })

  it('names the host and the range in the refusal', () => {
    expect(checkUpstreamUrl('http://169.254.169.254/', { allowLoopback: true })).toEqual({
      ok: false,
      error: 'upstream host 169.254.169.254 is link-local / cloud metadata (169.254.0.0/16)',
    })
    const loop = checkUpstreamUrl('http://0x7f000001/', { allowLoopback: false })
    expect(loop.ok ? '' : loop.error).toMatch(/127\.0\.0\.1 is loopback.*allowLoopbackUpstreams/)
    const user = checkUpstreamUrl('http://u:p@example.com/', { allowLoopback: false })
    expect(user.ok ? '' : user.error).toMatch(/userinfo/)
    const scheme = checkUpstreamUrl('file:///etc/passwd', { allowLoopback: false })
    expect(scheme.ok ? '' : scheme.error).toMatch(/http:\/\/ or https:\/\//)
  })
})

describe('hasTemplatedHost', () => {
  it.each([
    ['http://${stageVariables.host}/pets', true],
    ['https://${stageVariables.sub}.example.com/x', true],
    ['http://example.com:${stageVariables.port}/x', true],
    ['${stageVariables.url}', true],
    ['http://example.com/${stageVariables.path}/x', false],
    ['http://example.com/x?q=${stageVariables.q}', false],
    ['http://example.com/{proxy}', false],
    ['http://example.com/', false],
  ])('%s → %s', (url, expected) => {
    expect(hasTemplatedHost(url)).toBe(expected)
  })
})

describe('address parsers', () => {
  it('reads IPv4 in the WHATWG notations and refuses non-numbers', () => {
    expect(parseIpv4Loose('0x7f.0.0.1')).toBe(0x7f000001)
    expect(parseIpv4Loose('10.1')).toBe(0x0a000001)
    expect(parseIpv4Loose('0x')).toBe(0)
    expect(parseIpv4Loose('256.0.0.1')).toBeNull()
    expect(parseIpv4Loose('1.2.3.4.5')).toBeNull()
    expect(parseIpv4Loose('4294967296')).toBeNull()
    expect(parseIpv4Loose('example.com')).toBeNull()
    expect(parseIpv4Loose('09.1.1.1')).toBeNull()
  })

  it('reads IPv6 with :: and dotted tails and refuses garbage', () => {
    expect(parseIpv6('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 1])
    expect(parseIpv6('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304])
    expect(parseIpv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(parseIpv6('1::2::3')).toBeNull()
    expect(parseIpv6('1:2:3:4:5:6:7:8:9')).toBeNull()
    expect(parseIpv6('12345::')).toBeNull()
    expect(parseIpv6('::1.2.3.256')).toBeNull()
  })
})
