/** Ids derived from names (authorizers, models, validators): the same document, the same ids. */

/** A valid resource id (`^[A-Za-z0-9_-]{1,64}$`) for `name`, distinct from those in `taken`. */
export function stableId(name: string, taken: ReadonlySet<string>): string {
  const base = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 58) || 'id'
  let id = base
  for (let n = 2; taken.has(id) && n < 100_000; n++) id = `${base}-${String(n)}`
  return id
}
