/**
 * A write-time bound on the validator's work. @cfworker/json-schema evaluates every applicable
 * subschema (no memoisation), so a schema can ask for exponential work: `{"allOf": [A, A]}` chains
 * through `$ref`, or a recursive schema applying itself twice per level. This computes, for the
 * worst body within the depth cap, how much work one path of the body can cost, and
 * refuses `$ref` cycles that never move into the instance (they would recurse forever).
 */
import { err, ok, type Result } from '../../result'
import { appliedSubschemas, isSchemaObject, type Applied, type SchemaObject } from './schema-nodes'

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0)

/**
 * Work along one instance path of length ≤ `depth` (each evaluation costs its node's `ownCost`),
 * capped at `limit + 1`; an error when a cycle of same-instance applications exists.
 */
export function workPerPath(
  root: SchemaObject,
  resolve: (node: SchemaObject) => unknown,
  depth: number,
  limit: number
): Result<number, string> {
  const applied = new Map<SchemaObject, Applied>()
  const order: SchemaObject[] = [] // children (same-instance edges) before parents
  const state = new Map<SchemaObject, 'open' | 'done'>()
  const pending: SchemaObject[] = [root]
  // Depth-first over same-instance edges from every reachable node, iteratively (no recursion).
  while (pending.length > 0) {
    const start = pending.pop()
    if (start === undefined || state.has(start)) continue
    const stack: { node: SchemaObject; next: number }[] = [{ node: start, next: 0 }]
    state.set(start, 'open')
    while (stack.length > 0) {
      const top = stack[stack.length - 1]
      if (top === undefined) break
      let edges = applied.get(top.node)
      if (edges === undefined) {
        edges = appliedSubschemas(top.node, resolve)
        applied.set(top.node, edges)
        const { property, pattern, additionalProperty, item, additionalItem } = edges
        for (const child of [
          ...property,
          ...pattern,
          ...additionalProperty,
          ...item,
          ...additionalItem,
        ]) {
          if (isSchemaObject(child)) pending.push(child)
        }
      }
      const child = edges.same[top.next]
      top.next++
      if (child === undefined && top.next > edges.same.length) {
        state.set(top.node, 'done')
        order.push(top.node)
        stack.pop()
        continue
      }
      if (!isSchemaObject(child)) continue
      const seen = state.get(child)
      if (seen === 'open')
        return err('$ref cycle that never moves into the instance (infinite recursion)')
      if (seen === undefined) {
        state.set(child, 'open')
        stack.push({ node: child, next: 0 })
      }
    }
  }
  // Per level, the worst case for an object instance and for an array instance apart: one
  // instance node is never both, so object-member and array-item subschemas never add up.
  const cap = limit + 1
  let below = new Map<SchemaObject, number>()
  const weightIn = (map: ReadonlyMap<SchemaObject, number>, node: unknown) =>
    isSchemaObject(node) ? (map.get(node) ?? 0) : 1
  for (let level = 0; level <= depth; level++) {
    const asObject = new Map<SchemaObject, number>()
    const asArray = new Map<SchemaObject, number>()
    const worst = new Map<SchemaObject, number>()
    const child = (c: unknown) => (level > 0 ? weightIn(below, c) : 0)
    for (const node of order) {
      const edges = applied.get(node)
      if (edges === undefined) continue
      const objectWork =
        edges.ownCost +
        sum(edges.same.map((c) => weightIn(asObject, c))) +
        Math.max(0, ...edges.property.map(child)) +
        sum(edges.pattern.map(child)) +
        sum(edges.additionalProperty.map(child))
      const arrayWork =
        edges.ownCost +
        sum(edges.same.map((c) => weightIn(asArray, c))) +
        Math.max(0, ...edges.item.map(child)) +
        sum(edges.additionalItem.map(child))
      asObject.set(node, Math.min(objectWork, cap))
      asArray.set(node, Math.min(arrayWork, cap))
      worst.set(node, Math.min(Math.max(objectWork, arrayWork), cap))
    }
    below = worst
  }
  return ok(below.get(root) ?? 1)
}
