/**
 * One linear pass over a JSON text before it is parsed: nesting depth (a deeply nested body must
 * be a 400, never a stack overflow in the parser or the validator), the longest string, and the
 * pairwise-comparison cost of its arrays. Strings and escapes are respected; the text need not be
 * valid JSON (JSON.parse decides that afterwards).
 */

export interface JsonShape {
  /** Longest string literal (keys included), in UTF-16 code units of the raw text. */
  readonly longestString: number
  /** Σ n² over every array of n items: what `uniqueItems` would compare. */
  readonly arrayPairs: number
}

const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d
const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09

/** The shape of `text`, or `undefined` when it nests deeper than `maxDepth`. */
export function scanJsonShape(text: string, maxDepth: number): JsonShape | undefined {
  // Per open container: -1 for an object, else the array's comma count; `filled`: any item yet.
  const commas: number[] = []
  const filled: boolean[] = []
  let longestString = 0
  let arrayPairs = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (isSpace(c)) continue
    const top = commas.length - 1
    if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      const count = commas.pop() ?? -1
      const any = filled.pop() ?? false
      if (count >= 0) {
        const items = any ? count + 1 : 0
        arrayPairs += items * items
      }
      continue
    }
    if (top >= 0) filled[top] = true
    if (c === COMMA) {
      const count = commas[top]
      if (count !== undefined && count >= 0) commas[top] = count + 1
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (commas.length >= maxDepth) return undefined
      commas.push(c === OPEN_ARRAY ? 0 : -1)
      filled.push(false)
    } else if (c === QUOTE) {
      const start = i
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i)
        if (d === BACKSLASH) i++
        else if (d === QUOTE) break
      }
      longestString = Math.max(longestString, i - start - 1)
    }
  }
  return { longestString, arrayPairs }
}
