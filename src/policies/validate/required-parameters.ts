/**
 * AWS basic request validation of parameters: every parameter declared required in the method's
 * `requestParameters` (`method.request.querystring.q: true`) must be present and non-blank. Only
 * presence is checked, never type or format (AWS).
 */

const DECLARED =
  /^(?:method|route)\.request\.(querystring|header|path|multivaluequerystring|multivalueheader)\.(.+)$/

export type ParameterLocation = 'querystring' | 'header' | 'path'

export interface RequiredParameter {
  readonly location: ParameterLocation
  readonly name: string
}

/** The required parameters of a route, in declaration order. */
export function requiredParameters(
  declared: Readonly<Record<string, boolean>> | undefined
): RequiredParameter[] {
  const required: RequiredParameter[] = []
  for (const [key, isRequired] of Object.entries(declared ?? {})) {
    const match = DECLARED.exec(key)
    if (!isRequired || match === null) continue
    const [, where = '', name = ''] = match
    const location: ParameterLocation = where.endsWith('querystring')
      ? 'querystring'
      : where.endsWith('header')
        ? 'header'
        : 'path'
    required.push({ location, name })
  }
  return required
}

export interface ParameterSources {
  readonly query: URLSearchParams
  readonly headers: Headers
  readonly pathParameters: Readonly<Record<string, string>>
}

const nonBlank = (value: string | null | undefined): boolean =>
  value !== null && value !== undefined && value.trim() !== ''

function present(parameter: RequiredParameter, sources: ParameterSources): boolean {
  switch (parameter.location) {
    case 'querystring':
      // Any one non-blank value of a repeated parameter satisfies it (single- and multi-value).
      return sources.query.getAll(parameter.name).some(nonBlank)
    case 'header':
      return nonBlank(sources.headers.get(parameter.name))
    case 'path':
      return Object.hasOwn(sources.pathParameters, parameter.name)
        ? nonBlank(sources.pathParameters[parameter.name])
        : false
  }
}

/** Names of the required parameters missing or blank in this request (declaration order). */
export function missingParameters(
  required: readonly RequiredParameter[],
  sources: ParameterSources
): string[] {
  return required.filter((p) => !present(p, sources)).map((p) => p.name)
}
