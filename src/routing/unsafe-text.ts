/**
 * Character rules shared by the canonical path and route templates: which code points may appear
 * in a decoded path segment, and which non-ASCII text would turn into a path separator, a dot
 * segment or a matrix parameter in an upstream that normalises Unicode (NFKC) or decodes again.
 */

/** C0 controls, DEL, C1 controls, and the Unicode line/paragraph separators. */
export function isControlCodePoint(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029
}

/**
 * Separator look-alikes that NFKC leaves alone but some servers and file systems still treat as
 * `/` or `\` (division slash, fraction slash, big solidus, set minus…).
 */
const SLASH_LOOKALIKES = /[\u2044\u2215\u2216\u29f5\u29f8\u29f9]/u
/** After NFKC: separators, `;` or a percent-escape (fullwidth `％２Ｆ` → `%2F`). */
const UNSAFE_AFTER_NFKC = /[/\\;]|%[0-9A-Fa-f]{2}/u

function hasControl(text: string): boolean {
  for (const ch of text) if (isControlCodePoint(ch.codePointAt(0) ?? 0)) return true
  return false
}

/**
 * True when a decoded segment that contains non-ASCII text could become `/`, `\`, `;`, a control
 * character, an escape or a `.`/`..` segment once an upstream applies NFKC (fullwidth `．．`,
 * `‥`, `／`, `＼`, `；`, Greek question mark `;`). Pure ASCII never needs this check.
 */
export function isUnicodeLookalikeAttack(decoded: string): boolean {
  if (SLASH_LOOKALIKES.test(decoded)) return true
  const folded = decoded.normalize('NFKC')
  if (folded === decoded) return false
  return folded === '.' || folded === '..' || UNSAFE_AFTER_NFKC.test(folded) || hasControl(folded)
}
