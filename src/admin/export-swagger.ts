/**
 * OpenAPI 3.0 → Swagger 2.0 for GetExport's `swagger` type. The reverse of the OpenAPI 3.0
 * "Migrating from 2.0" rules: servers → host/basePath/schemes, requestBody → a body parameter,
 * response content → schema + produces, components → definitions / securityDefinitions.
 * `x-*` extensions are kept where they are.
 */
import { isRecord, type JsonObject } from './input'

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch']

/** `value` without the named keys. */
function omit(value: JsonObject, ...keys: string[]): JsonObject {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)))
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs)
  if (!isRecord(value)) return value
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      k === '$ref' && typeof v === 'string'
        ? v.replace(/^#\/components\/schemas\//, '#/definitions/')
        : rewriteRefs(v)
  }
  return out
}

function serverParts(servers: unknown): JsonObject {
  const first: unknown = Array.isArray(servers) ? servers[0] : undefined
  if (!isRecord(first) || typeof first.url !== 'string') return {}
  const vars = isRecord(first.variables) ? first.variables : {}
  const url = first.url.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const v = vars[name]
    return isRecord(v) && typeof v.default === 'string' ? v.default : ''
  })
  try {
    const u = new URL(url)
    return { host: u.host, basePath: u.pathname, schemes: [u.protocol.replace(':', '')] }
  } catch {
    return {}
  }
}

function parameter(p: unknown): unknown {
  if (!isRecord(p) || '$ref' in p) return p
  const { schema, ...rest } = p
  return isRecord(schema) ? { ...rest, ...schema } : rest
}

function contentOf(value: unknown): [string[], unknown] {
  if (!isRecord(value) || !isRecord(value.content)) return [[], undefined]
  const types = Object.keys(value.content)
  const first = types[0] === undefined ? undefined : value.content[types[0]]
  return [types, isRecord(first) ? first.schema : undefined]
}

function operation(op: JsonObject): JsonObject {
  const { requestBody, responses, parameters, ...rest } = op
  const out: JsonObject = { ...rest }
  const params: unknown[] = Array.isArray(parameters) ? parameters.map(parameter) : []
  const [consumes, bodySchema] = contentOf(requestBody)
  if (consumes.length > 0) {
    out.consumes = consumes
    const required = isRecord(requestBody) && requestBody.required === true
    params.push({ in: 'body', name: 'body', required, schema: bodySchema ?? {} })
  }
  if (params.length > 0) out.parameters = params
  const produces = new Set<string>()
  if (isRecord(responses)) {
    const converted: JsonObject = {}
    for (const [code, r] of Object.entries(responses)) {
      if (!isRecord(r)) continue
      const [types, schema] = contentOf(r)
      types.forEach((t) => produces.add(t))
      const { headers } = r
      const res: JsonObject = { description: '', ...omit(r, 'content', 'headers') }
      if (schema !== undefined) res.schema = schema
      if (isRecord(headers)) {
        res.headers = Object.fromEntries(
          Object.entries(headers).map(([h, v]) => [
            h,
            isRecord(v) && isRecord(v.schema) ? v.schema : { type: 'string' },
          ])
        )
      }
      converted[code] = res
    }
    out.responses = converted
  }
  if (produces.size > 0) out.produces = [...produces]
  return out
}

function securityDefinitions(schemes: unknown): JsonObject | undefined {
  if (!isRecord(schemes)) return undefined
  const out: JsonObject = {}
  for (const [name, s] of Object.entries(schemes)) {
    if (!isRecord(s)) continue
    if (s.type === 'apiKey') out[name] = s
    else if (s.type === 'http' && s.scheme === 'basic') out[name] = { type: 'basic' }
    else if (s.type === 'oauth2' && isRecord(s.flows)) {
      const [flow, f] = Object.entries(s.flows)[0] ?? []
      const names: Record<string, string> = {
        authorizationCode: 'accessCode',
        clientCredentials: 'application',
      }
      if (flow !== undefined && isRecord(f))
        out[name] = { type: 'oauth2', flow: names[flow] ?? flow, ...f }
    } else {
      // OpenAPI 3-only schemes (http bearer, openIdConnect) become API Gateway-style apiKey
      // entries on the Authorization header, keeping their `x-amazon-apigateway-*` fields.
      out[name] = { ...omit(s, 'scheme'), type: 'apiKey', name: 'Authorization', in: 'header' }
    }
  }
  return Object.keys(out).length > 0 ? out : undefined
}

/** A Swagger 2.0 document equivalent to the given OpenAPI 3.0 one. */
export function toSwagger2(oas: Record<string, unknown>): Record<string, unknown> {
  const { servers, paths, components } = oas
  const rest = omit(oas, 'openapi', 'servers', 'paths', 'components')
  const out: JsonObject = { swagger: '2.0', ...serverParts(servers), ...rest }
  const convertedPaths: JsonObject = {}
  for (const [path, item] of Object.entries(isRecord(paths) ? paths : {})) {
    if (!isRecord(item)) continue
    const converted: JsonObject = {}
    for (const [key, value] of Object.entries(item)) {
      if (METHODS.includes(key) && isRecord(value)) converted[key] = operation(value)
      else if (key === 'parameters' && Array.isArray(value)) converted[key] = value.map(parameter)
      else converted[key] = value
    }
    convertedPaths[path] = converted
  }
  out.paths = convertedPaths
  if (isRecord(components)) {
    const { schemas, securitySchemes, ...otherComponents } = components
    if (isRecord(schemas)) out.definitions = schemas
    const defs = securityDefinitions(securitySchemes)
    if (defs !== undefined) out.securityDefinitions = defs
    for (const [k, v] of Object.entries(otherComponents)) if (k.startsWith('x-')) out[k] = v
  }
  const result = rewriteRefs(out)
  return isRecord(result) ? result : out
}
