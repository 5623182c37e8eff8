/**
 * Stored corpus of hostile and tricky request paths with the outcome `canonicalizePath` must give:
 * `{ reject: true }` (the gateway answers 400) or the exact canonical string. Replayed by
 * canonical-path.test.ts; add every bypass found in the wild (or by fast-check) here.
 */
export interface AttackPath {
  path: string
  expect: { reject: true } | { canonical: string }
  why: string
}

const reject = { reject: true } as const
const canonical = (value: string) => ({ canonical: value })

export const ATTACK_PATHS: readonly AttackPath[] = [
  // Dot segments, raw and percent-encoded in any case (RFC 3986 §3.3, §6.2.2.3).
  { path: '/a/../b', expect: reject, why: 'raw parent segment' },
  { path: '/a/./b', expect: reject, why: 'raw current segment' },
  { path: '/..', expect: reject, why: 'parent of root' },
  { path: '/a/..', expect: reject, why: 'trailing parent segment' },
  { path: '/a/.', expect: reject, why: 'trailing current segment' },
  { path: '/a/%2e%2e/b', expect: reject, why: 'encoded parent segment' },
  { path: '/a/%2E%2e/b', expect: reject, why: 'mixed-case encoded parent segment' },
  { path: '/a/%2e./b', expect: reject, why: 'half-encoded parent segment' },
  { path: '/a/.%2E/b', expect: reject, why: 'half-encoded parent segment (other half)' },
  { path: '/%2e/admin', expect: reject, why: 'encoded current segment' },
  { path: '/a/%252e%252e/b', expect: reject, why: 'double-encoded parent segment' },
  { path: '/a/%25252e/b', expect: reject, why: 'triple-encoded dot' },
  { path: '/a/%25%32%65%25%32%65/b', expect: reject, why: 'double encoding spelled with escapes' },
  // Encoded separators.
  { path: '/a/%2f/b', expect: reject, why: 'encoded slash' },
  { path: '/a%2Fb', expect: reject, why: 'encoded slash inside a segment' },
  { path: '/a/%5c/b', expect: reject, why: 'encoded backslash' },
  { path: '/a/%5C..%5Cb', expect: reject, why: 'encoded backslash traversal' },
  { path: '/a/%252F/b', expect: reject, why: 'double-encoded slash' },
  { path: '/a/%255c', expect: reject, why: 'double-encoded backslash' },
  { path: '/a\\b', expect: reject, why: 'raw backslash' },
  { path: '/a\\..\\b', expect: reject, why: 'backslash traversal' },
  { path: '/%2e%2e%2fetc/passwd', expect: reject, why: 'encoded traversal to a file' },
  // Control characters, raw and encoded (header injection, log forging).
  { path: '/a/%00', expect: reject, why: 'encoded NUL' },
  { path: '/a\u0000b', expect: reject, why: 'raw NUL' },
  { path: '/a%0d%0aSet-Cookie:x=1', expect: reject, why: 'encoded CRLF injection' },
  { path: '/a\r\nb', expect: reject, why: 'raw CRLF' },
  { path: '/a\tb', expect: reject, why: 'raw TAB' },
  { path: '/a%09', expect: reject, why: 'encoded TAB' },
  { path: '/a%7f', expect: reject, why: 'encoded DEL' },
  { path: '/a%c2%85b', expect: reject, why: 'encoded NEL (C1 control)' },
  { path: '/a%e2%80%a8b', expect: reject, why: 'encoded LINE SEPARATOR' },
  { path: '/a%2500', expect: reject, why: 'double-encoded NUL' },
  // Invalid or overlong UTF-8 (classic IIS / Tomcat traversal bypasses).
  { path: '/a/%c0%ae%c0%ae/b', expect: reject, why: 'overlong UTF-8 dots' },
  { path: '/%c0%af', expect: reject, why: 'overlong UTF-8 slash' },
  { path: '/%e0%80%ae', expect: reject, why: 'three-byte overlong dot' },
  { path: '/%f0%80%80%ae', expect: reject, why: 'four-byte overlong dot' },
  { path: '/%ed%a0%80', expect: reject, why: 'encoded UTF-16 surrogate' },
  { path: '/%f4%90%80%80', expect: reject, why: 'code point above U+10FFFF' },
  { path: '/%ff', expect: reject, why: 'byte never valid in UTF-8' },
  { path: '/%80', expect: reject, why: 'lone continuation byte' },
  { path: '/%c3', expect: reject, why: 'truncated two-byte sequence' },
  { path: '/%c3%28', expect: reject, why: 'bad continuation byte' },
  { path: '/\ud800', expect: reject, why: 'lone surrogate in the string' },
  // Matrix parameters.
  { path: '/a;jsessionid=123', expect: reject, why: 'raw matrix parameter' },
  { path: '/admin;/x', expect: reject, why: 'Tomcat-style ;/ bypass' },
  { path: '/a/%3bjsessionid=1', expect: reject, why: 'encoded matrix parameter' },
  { path: '/a%3B', expect: reject, why: 'encoded semicolon' },
  { path: '/a%253b', expect: reject, why: 'double-encoded semicolon' },
  // Repeated slashes.
  { path: '//a', expect: reject, why: 'leading double slash (scheme-relative confusion)' },
  { path: '/a//b', expect: reject, why: 'double slash' },
  { path: '/a//', expect: reject, why: 'double trailing slash' },
  // Invalid percent-encoding.
  { path: '/%zz', expect: reject, why: 'non-hex escape' },
  { path: '/%4', expect: reject, why: 'truncated escape' },
  { path: '/a%', expect: reject, why: 'bare percent' },
  { path: '/a%g1', expect: reject, why: 'half-hex escape' },
  // Not an origin-form path.
  { path: '', expect: reject, why: 'empty' },
  { path: 'a/b', expect: reject, why: 'relative path' },
  { path: '*', expect: reject, why: 'asterisk-form' },
  { path: 'http://evil.example/a', expect: reject, why: 'absolute-form' },
  { path: '/a?b=1', expect: reject, why: 'query delimiter (caller must strip the query)' },
  { path: '/a#frag', expect: reject, why: 'fragment delimiter' },
  // Unicode look-alikes of separators and dots (NFKC-normalising upstreams).
  { path: '/a/%ef%bc%8f/b', expect: reject, why: 'fullwidth solidus' },
  { path: '/a\uff0fb', expect: reject, why: 'raw fullwidth solidus' },
  { path: '/a/%ef%bc%8e%ef%bc%8e/b', expect: reject, why: 'fullwidth dots' },
  { path: '/a/%e2%80%a5/b', expect: reject, why: 'two-dot leader' },
  { path: '/a%e2%88%95b', expect: reject, why: 'division slash' },
  { path: '/a%e2%81%84b', expect: reject, why: 'fraction slash' },
  { path: '/a%ef%bc%bcb', expect: reject, why: 'fullwidth reverse solidus' },
  { path: '/a%cd%bejsessionid', expect: reject, why: 'Greek question mark (NFKC → ;)' },
  { path: '/a%ef%bc%85%ef%bc%92%ef%bc%a6', expect: reject, why: 'fullwidth "%2F"' },
  // Accepted, normalised to one form.
  { path: '/', expect: canonical('/'), why: 'root' },
  { path: '/pets/42', expect: canonical('/pets/42'), why: 'plain path' },
  { path: '/a/', expect: canonical('/a/'), why: 'trailing slash is kept' },
  { path: '/%7e%41', expect: canonical('/~A'), why: 'unreserved escapes decoded' },
  { path: '/a%2db%5F', expect: canonical('/a-b_'), why: 'unreserved escapes decoded' },
  { path: '/a%2eb', expect: canonical('/a.b'), why: 'encoded dot inside a segment is a dot' },
  { path: '/...', expect: canonical('/...'), why: 'three dots are not a dot segment' },
  { path: '/%c3%a9', expect: canonical('/%C3%A9'), why: 'escape hex upper-cased' },
  { path: '/é', expect: canonical('/%C3%A9'), why: 'raw non-ASCII encoded' },
  { path: '/%F0%9F%98%80', expect: canonical('/%F0%9F%98%80'), why: 'four-byte character' },
  { path: '/a|b', expect: canonical('/a%7Cb'), why: 'raw | encoded' },
  { path: '/a b', expect: canonical('/a%20b'), why: 'raw space encoded' },
  { path: '/a%21', expect: canonical('/a%21'), why: 'sub-delim escape kept' },
  { path: "/a!$&'()*+,=:@", expect: canonical("/a!$&'()*+,=:@"), why: 'raw sub-delims kept' },
  { path: '/100%25off', expect: canonical('/100%25off'), why: 'literal percent' },
  { path: '/%3f%23', expect: canonical('/%3F%23'), why: 'encoded ? and # are data' },
  { path: '/%d0%b0dmin', expect: canonical('/%D0%B0dmin'), why: 'Cyrillic a: a different path' },
  {
    path: '/\uff41dmin',
    expect: canonical('/%EF%BD%81dmin'),
    why: 'fullwidth letter: not a separator, a different (case-sensitive) path',
  },
  { path: '/$default', expect: canonical('/$default'), why: 'dollar kept raw' },
]
