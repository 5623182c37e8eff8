/**
 * Write-time vetting of regular expressions from config (JSON Schema `pattern` /
 * `patternProperties`, authorizer `identityValidationExpression`). They later run with
 * JavaScript's backtracking engine on client input, so a pattern that can backtrack
 * catastrophically is refused here (SECURITY: "catastrophic regexes in config are refused at
 * write"). The check is a conservative heuristic in the manner of `safe-regex` (star height),
 * extended to the other classic shapes: overlapping alternatives under a quantifier, adjacent
 * unbounded quantifiers over overlapping characters, and backreferences.
 */

/** Longest pattern accepted (characters). */
export const MAX_REGEX_LENGTH = 1000
/** A counted repetition above this behaves like `*` for the nesting rules. */
const LARGE_REPEAT = 16

interface Item {
  readonly atom: Atom
  readonly min: number
  readonly max: number
}
type Sequence = readonly Item[]
interface Alternation {
  readonly branches: readonly Sequence[]
}
type Atom =
  | { readonly kind: 'char'; readonly source: string }
  | { readonly kind: 'group'; readonly body: Alternation; readonly lookaround: boolean }
  | { readonly kind: 'assertion' }
  | { readonly kind: 'backreference' }

/** Characters the overlap rules probe: ASCII plus a few non-ASCII classes' representatives. */
const PROBES: readonly string[] = [
  ...Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)),
  'é',
  'ß',
  'Ω',
  'я',
  '中',
  '😀',
  '\u00a0',
  '\u2028',
  '\ufeff',
]

class Parser {
  private i = 0
  constructor(private readonly text: string) {}

  parse(): Alternation {
    return this.alternation()
  }

  private alternation(): Alternation {
    const branches: Sequence[] = [this.sequence()]
    while (this.text[this.i] === '|') {
      this.i++
      branches.push(this.sequence())
    }
    return { branches }
  }

  private sequence(): Sequence {
    const items: Item[] = []
    while (this.i < this.text.length && this.text[this.i] !== '|' && this.text[this.i] !== ')') {
      const atom = this.atom()
      items.push({ atom, ...this.quantifier() })
    }
    return items
  }

  private atom(): Atom {
    const start = this.i
    const c = this.text[this.i]
    if (c === '(') return this.group()
    if (c === '^' || c === '$') {
      this.i++
      return { kind: 'assertion' }
    }
    if (c === '[') {
      this.i++
      while (this.i < this.text.length && this.text[this.i] !== ']') {
        this.i += this.text[this.i] === '\\' ? 2 : 1
      }
      this.i++
      return { kind: 'char', source: this.text.slice(start, this.i) }
    }
    if (c === '\\') return this.escape(start)
    const code = this.text.codePointAt(this.i) ?? 0
    this.i += code > 0xffff ? 2 : 1
    return { kind: 'char', source: this.text.slice(start, this.i) }
  }

  private group(): Atom {
    this.i++
    let lookaround = false
    if (this.text[this.i] === '?') {
      const rest = this.text.slice(this.i, this.i + 4)
      lookaround = /^\?(=|!|<=|<!)/.test(rest)
      if (rest.startsWith('?<') && !lookaround) {
        this.i = this.text.indexOf('>', this.i) + 1
      } else {
        this.i += rest.startsWith('?:') || rest.startsWith('?=') || rest.startsWith('?!') ? 2 : 3
      }
    }
    const body = this.alternation()
    this.i++ // ')'
    return { kind: 'group', body, lookaround }
  }

  private escape(start: number): Atom {
    const next = this.text[this.i + 1] ?? ''
    this.i += 2
    if (/[1-9]/.test(next) || (next === 'k' && this.text[this.i] === '<')) {
      return { kind: 'backreference' }
    }
    if (next === 'b' || next === 'B') return { kind: 'assertion' }
    if ((next === 'u' || next === 'p' || next === 'P') && this.text[this.i] === '{') {
      this.i = this.text.indexOf('}', this.i) + 1
    } else if (next === 'u') this.i += 4
    else if (next === 'x') this.i += 2
    else if (next === 'c') this.i += 1
    return { kind: 'char', source: this.text.slice(start, this.i) }
  }

  private quantifier(): { min: number; max: number } {
    const c = this.text[this.i]
    let bounds = { min: 1, max: 1 }
    if (c === '*' || c === '+' || c === '?') {
      this.i++
      bounds = { min: c === '+' ? 1 : 0, max: c === '?' ? 1 : Infinity }
    } else if (c === '{') {
      const counted = /^\{(\d+)(,(\d*))?\}/.exec(this.text.slice(this.i))
      if (counted === null) return bounds
      this.i += counted[0].length
      const min = Number(counted[1])
      const max = counted[2] === undefined ? min : counted[3] ? Number(counted[3]) : Infinity
      bounds = { min, max }
    } else return bounds
    if (this.text[this.i] === '?') this.i++ // lazy: same backtracking cost
    return bounds
  }
}

const repeats = (item: Item): boolean => item.max > LARGE_REPEAT
const unbounded = (item: Item): boolean => item.max === Infinity

/** Probe indexes a one-character atom matches. */
function charSet(source: string): Set<number> {
  let matcher: RegExp
  try {
    matcher = new RegExp(`^(?:${source})$`, 'u')
  } catch {
    return new Set(PROBES.keys()) // unknown: assume it matches everything (conservative)
  }
  const set = new Set<number>()
  PROBES.forEach((probe, index) => {
    if (matcher.test(probe)) set.add(index)
  })
  return set
}

/** Every character any atom inside can match (an over-approximation of a group's alphabet). */
function alphabet(atom: Atom): Set<number> {
  if (atom.kind === 'char') return charSet(atom.source)
  if (atom.kind !== 'group' || atom.lookaround) return new Set()
  const set = new Set<number>()
  for (const branch of atom.body.branches) {
    for (const item of branch) for (const index of alphabet(item.atom)) set.add(index)
  }
  return set
}

/** Characters a sequence can start with; `undefined` when it can match the empty string. */
function firstSet(sequence: Sequence): Set<number> | undefined {
  const set = new Set<number>()
  for (const item of sequence) {
    const { atom } = item
    if (atom.kind === 'assertion' || (atom.kind === 'group' && atom.lookaround)) continue
    const first =
      atom.kind === 'group'
        ? unionOfBranches(atom.body)
        : atom.kind === 'char'
          ? charSet(atom.source)
          : undefined
    if (first === undefined) return undefined
    for (const index of first) set.add(index)
    if (item.min >= 1) return set
  }
  return undefined
}

function unionOfBranches(body: Alternation): Set<number> | undefined {
  const set = new Set<number>()
  for (const branch of body.branches) {
    const first = firstSet(branch)
    if (first === undefined) return undefined
    for (const index of first) set.add(index)
  }
  return set
}

const overlaps = (a: ReadonlySet<number>, b: ReadonlySet<number>): boolean =>
  [...a].some((index) => b.has(index))

function containsRepeat(body: Alternation): boolean {
  return body.branches.some((branch) =>
    branch.some(
      (item) => repeats(item) || (item.atom.kind === 'group' && containsRepeat(item.atom.body))
    )
  )
}

/** Characters any repetition inside `sequence` (at any depth) can match. */
function repeatedAlphabet(sequence: Sequence, into: Set<number>): Set<number> {
  for (const item of sequence) {
    if (repeats(item)) for (const index of alphabet(item.atom)) into.add(index)
    if (item.atom.kind === 'group') {
      for (const branch of item.atom.body.branches) repeatedAlphabet(branch, into)
    }
  }
  return into
}

/**
 * Every alternative has a mandatory character its inner repetitions cannot match (`(-[a-z]+)*`,
 * `(\d+\.)*`): each outer iteration is then delimited unambiguously, so the nesting is linear.
 */
function delimitedIterations(body: Alternation): boolean {
  return body.branches.every((branch) => {
    const repeated = repeatedAlphabet(branch, new Set())
    return branch.some(
      (item) =>
        item.min >= 1 && item.atom.kind === 'char' && !overlaps(charSet(item.atom.source), repeated)
    )
  })
}

/**
 * When every alternative ends with a mandatory character (`(\d{1,3}\.)`), what follows a
 * repetition of the group competes only with those characters: the delimiters, else `undefined`.
 */
function delimiters(body: Alternation): Set<number> | undefined {
  const set = new Set<number>()
  for (const branch of body.branches) {
    const last = branch.filter((item) => item.atom.kind !== 'assertion').at(-1)
    if (last === undefined || last.min < 1 || last.atom.kind !== 'char') return undefined
    for (const index of charSet(last.atom.source)) set.add(index)
  }
  return set
}

/** Two or more alternatives that can start with the same character. */
function alternativesOverlap(body: Alternation): boolean {
  if (body.branches.length < 2) return false
  const seen = new Set<number>()
  for (const branch of body.branches) {
    const first = firstSet(branch)
    if (first === undefined || overlaps(first, seen)) return true
    for (const index of first) seen.add(index)
  }
  return false
}

function checkSequence(sequence: Sequence): string | undefined {
  // Unbounded repetitions not yet separated from what follows by a mandatory atom they cannot
  // match: a later one over overlapping characters backtracks polynomially.
  let pending: Set<number>[] = []
  for (const item of sequence) {
    const { atom } = item
    if (atom.kind === 'backreference') return 'backreferences are not allowed'
    if (atom.kind === 'group') {
      if (repeats(item) && containsRepeat(atom.body) && !delimitedIterations(atom.body)) {
        return 'nested quantifiers (e.g. (a+)+) can backtrack catastrophically'
      }
      if (repeats(item) && alternativesOverlap(atom.body)) {
        return 'overlapping alternatives under a quantifier (e.g. (a|ab)*) can backtrack catastrophically'
      }
      const inner = checkAlternation(atom.body)
      if (inner !== undefined) return inner
    }
    if (atom.kind === 'assertion' || (atom.kind === 'group' && atom.lookaround)) continue
    const set = alphabet(atom)
    const entry = atom.kind === 'group' ? (unionOfBranches(atom.body) ?? set) : set
    if (unbounded(item) && pending.some((earlier) => overlaps(earlier, entry))) {
      return 'adjacent unbounded quantifiers over overlapping characters (e.g. \\d+\\d*) backtrack polynomially'
    }
    // A mandatory atom the earlier repetitions cannot match separates them from later ones.
    if (item.min >= 1) pending = pending.filter((earlier) => overlaps(earlier, set))
    if (unbounded(item)) pending.push(atom.kind === 'group' ? (delimiters(atom.body) ?? set) : set)
  }
  return undefined
}

function checkAlternation(body: Alternation): string | undefined {
  for (const branch of body.branches) {
    const problem = checkSequence(branch)
    if (problem !== undefined) return problem
  }
  return undefined
}

/**
 * `undefined` when `pattern` is acceptable, else why not. Patterns are compiled with the `u`
 * flag, as @cfworker/json-schema runs them.
 */
export function checkSafeRegex(pattern: string): string | undefined {
  if (pattern.length > MAX_REGEX_LENGTH) {
    return `longer than ${String(MAX_REGEX_LENGTH)} characters`
  }
  try {
    new RegExp(pattern, 'u')
  } catch (e) {
    return `not a valid regular expression (Unicode mode): ${e instanceof Error ? e.message : 'syntax error'}`
  }
  return checkAlternation(new Parser(pattern).parse())
}
