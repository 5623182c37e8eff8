/**
 * HTTP and HTTP_PROXY share this: compile the target once (URI template, method, timeout,
 * mapping), then per request build the upstream request, send it through `transport.ts`, and
 * apply response mapping. `proxy` mode forwards the client's headers and query string (AWS
 * proxy behaviour); `mapped` mode sends only what the mapping and the URI name (AWS non-proxy).
 */
import type { IntegrationConfig } from '../config/types'
import { GatewayError } from '../errors/gateway-error'
import type { IntegrationHandler, RequestContext } from '../pipeline/types'
import { err, ok, type Result } from '../result'
import { HTTP_PAYLOAD_LIMIT, toMappedBody } from './body'
import { readCapped } from '../streams/read-capped'
import { forwardableRequestHeaders, isNullBodyStatus, setForwardedHeaders } from './headers'
import type { BuildInput } from './index'
import type { MappedBody } from './mapping-expression'
import { parseMethod, parseTimeout } from './options'
import {
  applyRequestMapping,
  applyResponseMapping,
  compileMapping,
  responseOpsFor,
  type CompiledMapping,
} from './parameter-mapping'
import { sendUpstream } from './transport'
import {
  compileUri,
  expandPath,
  joinUrl,
  routePathParameters,
  substituteStageVariables,
  type CompiledUri,
} from './uri-template'

interface HttpTarget {
  readonly uri: CompiledUri
  readonly method: string | undefined
  readonly timeoutMs: number
  readonly mapping: CompiledMapping
  readonly mode: 'proxy' | 'mapped'
}

/** Non-proxy requests carry the body, so the headers that describe it go along. */
const MAPPED_MODE_HEADERS = ['content-type', 'content-length', 'accept']

function compileTarget(
  integration: IntegrationConfig,
  input: BuildInput,
  mode: HttpTarget['mode']
): Result<HttpTarget, string> {
  if (integration.integrationUri === undefined) return err('integrationUri is required')
  const substituted = substituteStageVariables(integration.integrationUri, input.stageVariables)
  if (!substituted.ok) return substituted
  const uri = compileUri(substituted.value, {
    allowLoopback: input.api.allowLoopbackUpstreams === true,
    pathParameters: routePathParameters(input.route.routeKey),
  })
  if (!uri.ok) return err(`integrationUri: ${uri.error}`)
  const method = parseMethod(integration)
  if (!method.ok) return method
  const timeoutMs = parseTimeout(integration)
  if (!timeoutMs.ok) return timeoutMs
  const mapping = compileMapping(
    integration.requestParameters,
    integration.responseParameters,
    input.stageVariables
  )
  if (!mapping.ok) return mapping
  return ok({
    uri: uri.value,
    method: method.value,
    timeoutMs: timeoutMs.value,
    mapping: mapping.value,
    mode,
  })
}

function badParameters(reason: string): GatewayError {
  return new GatewayError('BAD_REQUEST_PARAMETERS', { reason })
}

async function readRequestBody(ctx: RequestContext): Promise<MappedBody> {
  const bytes = await readCapped(ctx.request.body, HTTP_PAYLOAD_LIMIT, {
    declaredLength: ctx.request.headers.get('content-length'),
  })
  if (bytes === undefined) {
    throw new GatewayError('REQUEST_TOO_LARGE', { reason: 'body over the mapping buffer cap' })
  }
  return toMappedBody(bytes)
}

async function forward(ctx: RequestContext, target: HttpTarget): Promise<Response> {
  const method = target.method ?? ctx.request.method
  const headers = forwardableRequestHeaders(
    ctx.request.headers,
    target.mode === 'proxy' ? undefined : MAPPED_MODE_HEADERS
  )
  const path = expandPath(target.uri, ctx.pathParameters)
  if (!path.ok) throw badParameters(path.error)
  const clientQuery = target.mode === 'proxy' ? ctx.url.search.slice(1) : ''
  let query = [target.uri.query, clientQuery].filter((q) => q !== '').join('&')
  const hasBody = method !== 'GET' && method !== 'HEAD' && ctx.request.body !== null
  const requestBody = target.mapping.usesRequestBody ? await readRequestBody(ctx) : undefined
  let upstreamPath = path.value
  if (target.mapping.request.length > 0) {
    // Parsed only when a mapping edits it: the plain proxy path forwards the query untouched.
    const draft = { headers, query: new URLSearchParams(query), path: path.value }
    applyRequestMapping(target.mapping.request, draft, {
      ctx,
      ...(requestBody ? { requestBody } : {}),
    })
    query = draft.query.toString()
    upstreamPath = draft.path
  }
  if (!hasBody || requestBody !== undefined) headers.delete('content-length')
  if (!hasBody) headers.delete('content-type')
  setForwardedHeaders(headers, {
    clientIp: ctx.clientIp,
    proto: ctx.url.protocol.slice(0, -1),
    host: ctx.domainName,
  })
  const url = joinUrl(target.uri.origin, upstreamPath, query)
  let body: ReadableStream | string | null = null
  if (hasBody) body = requestBody !== undefined ? requestBody.text : ctx.request.body
  const response = await sendUpstream(ctx, { url, method, headers, body }, target.timeoutMs)
  return mapResponse(ctx, target.mapping, response)
}

async function mapResponse(
  ctx: RequestContext,
  mapping: CompiledMapping,
  response: Response
): Promise<Response> {
  const ops = responseOpsFor(mapping, response.status)
  if (ops === undefined) return response
  const headers = new Headers(response.headers)
  let body: MappedBody | undefined
  let payload: BodyInit | null = response.body
  if (mapping.usesResponseBody) {
    const bytes = await readCapped(response.body, HTTP_PAYLOAD_LIMIT)
    if (bytes === undefined) {
      throw new GatewayError('MALFORMED_INTEGRATION_RESPONSE', {
        reason: 'response over the mapping buffer cap',
      })
    }
    body = toMappedBody(bytes)
    payload = bytes
  }
  const status = applyResponseMapping(ops, response.status, headers, {
    ctx,
    response: { headers: response.headers, ...(body ? { body } : {}) },
  })
  return new Response(isNullBodyStatus(status) ? null : payload, { status, headers })
}

/** Builds an HTTP or HTTP_PROXY handler; an error string for config that cannot serve. */
export function buildHttpForward(
  integration: IntegrationConfig,
  input: BuildInput,
  mode: HttpTarget['mode']
): Result<IntegrationHandler, string> {
  const target = compileTarget(integration, input, mode)
  if (!target.ok) return target
  return ok((ctx) => forward(ctx, target.value))
}
