/**
 * OpenAPI path keys → Portico route paths. AWS resource paths: whole-segment parameters only
 * (`/pets/{petId}`), a greedy `{proxy+}` only as the last segment, no empty or dot segments;
 * siblings may not use different parameter names at the same position (AWS: "A sibling ({id})
 * of this resource already has a variable path part"). HTTP APIs add `/$default`.
 */

const PARAM = /^\{([A-Za-z0-9_][A-Za-z0-9._-]*)(\+?)\}$/
// RFC 3986 pchar without `%` (no encoded forms: one canonical path) and without `;` (matrix
// parameters are rejected by the router, see SECURITY "Paths").
const LITERAL = /^[A-Za-z0-9._~!$&'()*+,=:@-]+$/

export interface ParsedPath {
  /** Names of the path parameters, in order (`proxy` for `{proxy+}`). */
  params: string[]
  /** Parent-relative structural keys used for the sibling check. */
  shape: string[]
}

export function parsePath(
  path: string
): { ok: true; value: ParsedPath } | { ok: false; error: string } {
  if (!path.startsWith('/')) return { ok: false, error: 'A path must start with /' }
  if (path === '/') return { ok: true, value: { params: [], shape: [] } }
  if (path.endsWith('/')) return { ok: false, error: 'A path must not end with /' }
  const segments = path.slice(1).split('/')
  const params: string[] = []
  const shape: string[] = []
  for (const [i, segment] of segments.entries()) {
    const param = PARAM.exec(segment)
    if (param?.[1] !== undefined) {
      const name = param[1]
      if (param[2] === '+' && i !== segments.length - 1) {
        return { ok: false, error: `Greedy path parameter {${name}+} must be the last segment` }
      }
      if (params.includes(name))
        return { ok: false, error: `Path parameter {${name}} appears twice` }
      params.push(name)
      shape.push(`{${name}${param[2] ?? ''}}`)
      continue
    }
    if (segment === '') return { ok: false, error: 'A path must not contain empty segments (//)' }
    if (segment === '.' || segment === '..')
      return { ok: false, error: 'A path must not contain dot segments' }
    if (segment.includes('{') || segment.includes('}')) {
      return {
        ok: false,
        error: `Segment "${segment}": a path parameter must be a whole segment ({name} or {name+})`,
      }
    }
    if (!LITERAL.test(segment)) {
      return {
        ok: false,
        error: `Segment "${segment}" contains characters that are not allowed in a resource path`,
      }
    }
    shape.push(segment)
  }
  return { ok: true, value: { params, shape } }
}

/**
 * Finds a path whose parameter at some position has a different name than a sibling's
 * (`/pets/{id}` vs `/pets/{petId}/toys`). Returns a message for the second one, or undefined.
 */
export class SiblingCheck {
  private readonly seen = new Map<string, string>()

  add(parsed: ParsedPath): string | undefined {
    let parent = ''
    for (const part of parsed.shape) {
      if (part.startsWith('{')) {
        const key = `${parent}/{}`
        const existing = this.seen.get(key)
        if (existing !== undefined && existing !== part) {
          return `${part} conflicts with sibling ${existing} at ${parent || '/'}: AWS allows one variable path part per level`
        }
        this.seen.set(key, part)
      }
      parent = `${parent}/${part}`
    }
    return undefined
  }
}
