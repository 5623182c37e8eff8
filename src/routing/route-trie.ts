/**
 * The segment trie behind a route table. Built once per deployment; a lookup walks the request's
 * decoded segments trying, at each level, the literal child, then the `{param}` child, then the
 * greedy `{name+}` child (API Gateway: most specific first), backtracking when a branch ends
 * without an acceptable route. Each trie node is visited at most once per lookup, so a lookup
 * costs O(path segments) for typical tables and never more than the size of the trie. No regex.
 */
import type { RouteConfig } from '../config/types'
import type { PathSegmentPattern } from './route-key'

/** One route at the end of a trie branch. */
export interface RouteEntry {
  readonly route: RouteConfig
  /** The template path (`/pets/{petId}`), reported as AWS's resourcePath. */
  readonly resourcePath: string
  /** Parameter names in segment order (greedy last). */
  readonly paramNames: readonly string[]
}

/** Routes by method (`GET`, …, `ANY`). */
export type MethodMap = Map<string, RouteEntry>

export interface TrieNode {
  readonly literals: Map<string, TrieNode>
  param?: { readonly name: string; readonly node: TrieNode }
  greedy?: { readonly name: string; readonly methods: MethodMap }
  readonly methods: MethodMap
}

export function newNode(): TrieNode {
  return { literals: new Map(), methods: new Map() }
}

/** A route found by `walk`, with decoded parameter values in segment order. */
export interface Found {
  readonly entry: RouteEntry
  readonly values: readonly string[]
  /** Every route declared at the matched path, by method. */
  readonly methods: MethodMap
}

/** Picks the route for a request at one trie position, or undefined to keep searching. */
export type Accept = (methods: MethodMap) => RouteEntry | undefined

/**
 * Inserts a template; returns the method map where the route ends, or a conflict message
 * (two differently named parameters, or, for REST APIs, two variable siblings).
 */
export function insert(
  root: TrieNode,
  segments: readonly PathSegmentPattern[],
  oneVariablePerLevel: boolean
): MethodMap | string {
  let node = root
  for (const seg of segments) {
    if (seg.kind === 'literal') {
      let next = node.literals.get(seg.value)
      if (next === undefined) {
        next = newNode()
        node.literals.set(seg.value, next)
      }
      node = next
      continue
    }
    const other = seg.kind === 'param' ? node.greedy : node.param
    if (oneVariablePerLevel && other !== undefined) {
      // AWS REST: "A sibling ({id}) of this resource already has a variable path part".
      return `a sibling {${other.name}${seg.kind === 'param' ? '+' : ''}} already is a variable path part`
    }
    if (seg.kind === 'greedy') {
      if (node.greedy !== undefined && node.greedy.name !== seg.name) {
        return `conflicting greedy parameters {${node.greedy.name}+} and {${seg.name}+}`
      }
      node.greedy ??= { name: seg.name, methods: new Map() }
      return node.greedy.methods
    }
    if (node.param !== undefined && node.param.name !== seg.name) {
      return `conflicting path parameters {${node.param.name}} and {${seg.name}}`
    }
    node.param ??= { name: seg.name, node: newNode() }
    node = node.param.node
  }
  return node.methods
}

/** Depth-first search in precedence order; `segs` are decoded request segments. */
export function walk(
  node: TrieNode,
  segs: readonly string[],
  i: number,
  values: string[],
  accept: Accept
): Found | undefined {
  if (i === segs.length) {
    const entry = accept(node.methods)
    return entry === undefined
      ? undefined
      : { entry, values: values.slice(), methods: node.methods }
  }
  const seg = segs[i] ?? ''
  const literal = node.literals.get(seg)
  if (literal !== undefined) {
    const found = walk(literal, segs, i + 1, values, accept)
    if (found !== undefined) return found
  }
  // A path parameter matches exactly one non-empty segment.
  if (node.param !== undefined && seg !== '') {
    values.push(seg)
    const found = walk(node.param.node, segs, i + 1, values, accept)
    values.pop()
    if (found !== undefined) return found
  }
  if (node.greedy !== undefined) {
    // Greedy: one or more segments, the rest of the path; an empty remainder (`/files/`) is
    // not a segment, so it does not match (docs/routing.md).
    const rest = segs.slice(i).join('/')
    if (rest === '') return undefined
    const entry = accept(node.greedy.methods)
    if (entry !== undefined) {
      return { entry, values: [...values, rest], methods: node.greedy.methods }
    }
  }
  return undefined
}
