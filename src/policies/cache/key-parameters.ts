/**
 * Compiles a route's `cacheKeyParameters` (AWS form: `method.request.querystring.q`,
 * `method.request.multivaluequerystring.q`, `method.request.header.Accept`,
 * `method.request.multivalueheader.Accept`, `method.request.path.petId`) into extractors, once per
 * build. Only declared parameters are part of the key (AWS): an undeclared query parameter or
 * header shares the entry. Unrecognised entries are skipped (config validation refuses them).
 */
import type { RequestContext } from '../../pipeline/types'

/** One key component: the parameter's source name and its value(s) in this request. */
export type KeyExtractor = (
  ctx: RequestContext
) => readonly [string, string | readonly string[] | null]

const PREFIX = 'method.request.'

function compileOne(parameter: string): KeyExtractor | undefined {
  if (!parameter.startsWith(PREFIX)) return undefined
  const rest = parameter.slice(PREFIX.length)
  const dot = rest.indexOf('.')
  if (dot <= 0 || dot === rest.length - 1) return undefined
  const source = rest.slice(0, dot)
  const name = rest.slice(dot + 1)
  switch (source) {
    case 'querystring':
    case 'multivaluequerystring':
      // Every value, in order: `?q=a&q=b` must not share an entry with `?q=a`.
      return (ctx) => [parameter, ctx.query.getAll(name)]
    case 'header':
    case 'multivalueheader': {
      const lower = name.toLowerCase()
      return (ctx) => [parameter, ctx.request.headers.get(lower)]
    }
    case 'path':
      return (ctx) => [
        parameter,
        Object.hasOwn(ctx.pathParameters, name) ? (ctx.pathParameters[name] ?? null) : null,
      ]
    default:
      return undefined
  }
}

/** The route's key extractors in a stable order (sorted, duplicates dropped). */
export function compileKeyParameters(parameters: readonly string[] | undefined): KeyExtractor[] {
  if (parameters === undefined) return []
  const unique = [...new Set(parameters)].sort()
  const out: KeyExtractor[] = []
  for (const parameter of unique) {
    const extractor = compileOne(parameter)
    if (extractor !== undefined) out.push(extractor)
  }
  return out
}
