/**
 * WebSocket route integrations, built once per compiled stage. Every backend receives AWS's
 * WebSocket event (event.ts): WORKER as a Lambda invocation over its service binding, HTTP and
 * HTTP_PROXY as a JSON POST to `integrationUri` (SSRF-checked like every upstream). MOCK answers
 * from its request template's `statusCode` and its integration response template. The answer is
 * the route response (sent back when the route asks for one) and, on `$connect`, the admission
 * decision (2xx admits). Failures are typed `GatewayError`s, never a pass.
 */
import type { ApiConfig, IntegrationConfig, IntegrationResponseConfig } from '../config/types'
import { checkUpstreamUrl, hasTemplatedHost } from '../config/upstream-url'
import { GatewayError } from '../errors/gateway-error'
import { BINDING_NAME } from '../integrations/binding-name'
import { parseLambdaResponse } from '../integrations/lambda-response'
import { parseTimeout } from '../integrations/options'
import { lambdaInvokeUrl, serviceBinding } from '../integrations/service-binding'
import { substituteStageVariables } from '../integrations/uri-template'
import { err, ok, type Result } from '../result'
import { readCapped } from '../streams/read-capped'
import { buildWebSocketEvent, type WebSocketCall } from './event'
import { renderTemplate } from './template'

/** What an integration answered. */
export interface WebSocketAnswer {
  readonly status: number
  readonly headers: Headers
  /** Text to send back as the route response (undefined: nothing). */
  readonly body?: string
}

export type WebSocketInvoker = (call: WebSocketCall) => Promise<WebSocketAnswer>

/** Integration answers are read up to this size (a route response larger than this is an error). */
export const MAX_ANSWER_BYTES = 1024 * 1024

async function readAnswer(response: Response): Promise<string> {
  const bytes = await readCapped(response.body, MAX_ANSWER_BYTES)
  if (bytes === undefined) {
    throw new GatewayError('MALFORMED_INTEGRATION_RESPONSE', { reason: 'answer over 1 MiB' })
  }
  return new TextDecoder().decode(bytes)
}

async function post(
  send: (signal: AbortSignal) => Promise<Response>,
  timeoutMs: number
): Promise<Response> {
  const signal = AbortSignal.timeout(timeoutMs)
  try {
    return await send(signal)
  } catch (cause) {
    if (signal.aborted) {
      throw new GatewayError('INTEGRATION_TIMEOUT', {
        reason: `no response within ${String(timeoutMs)} ms`,
      })
    }
    throw new GatewayError('INTEGRATION_FAILURE', { reason: 'integration call failed', cause })
  }
}

function buildWorker(integration: IntegrationConfig, timeoutMs: number) {
  const binding = /^worker:\/\/([A-Za-z_][A-Za-z0-9_]*)$/.exec(
    integration.integrationUri ?? ''
  )?.[1]
  if (binding === undefined || !BINDING_NAME.test(binding)) {
    return err('WebSocket WORKER integrationUri must be worker://BINDING_NAME')
  }
  const url = lambdaInvokeUrl(binding)
  const invoker: WebSocketInvoker = async (call) => {
    const target = serviceBinding(call.env, binding)
    if (target === undefined) {
      throw new GatewayError('API_CONFIGURATION_ERROR', {
        reason: `binding ${binding} is not a service binding`,
      })
    }
    const body = JSON.stringify(buildWebSocketEvent(call))
    const response = await post(
      (signal) =>
        target.fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal,
        }),
      timeoutMs
    )
    if (response.status !== 200) {
      await response.body?.cancel()
      throw new GatewayError('MALFORMED_INTEGRATION_RESPONSE', {
        reason: `backend answered HTTP ${String(response.status)}`,
      })
    }
    const text = await readAnswer(response)
    // AWS: a WebSocket Lambda may return `{statusCode, body}` or nothing at all (= 200).
    if (text.trim() === '' || text.trim() === 'null') return { status: 200, headers: new Headers() }
    const parsed = parseLambdaResponse(text, '2.0')
    if (!parsed.ok) {
      throw new GatewayError('MALFORMED_INTEGRATION_RESPONSE', { reason: parsed.error })
    }
    const { status, headers, body: answer } = parsed.value
    const textBody =
      answer === null
        ? undefined
        : typeof answer === 'string'
          ? answer
          : new TextDecoder().decode(answer)
    return { status, headers, ...(textBody === undefined ? {} : { body: textBody }) }
  }
  return ok(invoker)
}

function buildHttp(
  integration: IntegrationConfig,
  api: ApiConfig,
  stageVariables: Readonly<Record<string, string>>,
  timeoutMs: number
) {
  const uri = substituteStageVariables(integration.integrationUri ?? '', stageVariables)
  if (!uri.ok) return uri
  if (hasTemplatedHost(uri.value) || /[{}]/.test(uri.value)) {
    return err('WebSocket HTTP integrationUri must not contain {placeholders}')
  }
  const checked = checkUpstreamUrl(uri.value, {
    allowLoopback: api.allowLoopbackUpstreams === true,
  })
  if (!checked.ok) return checked
  const url = checked.value.href
  const invoker: WebSocketInvoker = async (call) => {
    const body = JSON.stringify(buildWebSocketEvent(call))
    const response = await post(
      (signal) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          redirect: 'manual',
          signal,
        }),
      timeoutMs
    )
    const text = await readAnswer(response)
    return {
      status: response.status,
      headers: response.headers,
      ...(text === '' ? {} : { body: text }),
    }
  }
  return ok(invoker)
}

/** The integration response that applies to `status` (`/2\d\d/` patterns, else `$default`). */
export function pickIntegrationResponse(
  responses: readonly IntegrationResponseConfig[],
  status: number
): IntegrationResponseConfig | undefined {
  const code = String(status)
  for (const response of responses) {
    const key = response.integrationResponseKey
    if (key.length > 2 && key.startsWith('/') && key.endsWith('/')) {
      try {
        if (new RegExp(`^(?:${key.slice(1, -1)})$`).test(code)) return response
      } catch {
        continue
      }
    }
  }
  return responses.find((r) => r.integrationResponseKey === '$default')
}

function firstTemplate(templates: Readonly<Record<string, string>> | undefined) {
  if (templates === undefined) return undefined
  return Object.hasOwn(templates, '$default') ? templates.$default : Object.values(templates)[0]
}

/** MOCK status from the request template (`{"statusCode": 200}`), AWS's MOCK convention. */
export function mockStatus(integration: IntegrationConfig): Result<number, string> {
  const template = firstTemplate(integration.requestTemplates)
  if (template === undefined) return ok(integration.mockResponse?.statusCode ?? 200)
  let parsed: unknown
  try {
    parsed = JSON.parse(template)
  } catch {
    return err('MOCK request template must be JSON like {"statusCode": 200}')
  }
  const status =
    typeof parsed === 'object' && parsed !== null && 'statusCode' in parsed
      ? parsed.statusCode
      : undefined
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    return err('MOCK request template statusCode must be an integer 200-599')
  }
  return ok(status)
}

function buildMock(integration: IntegrationConfig) {
  const status = mockStatus(integration)
  if (!status.ok) return status
  const chosen = pickIntegrationResponse(integration.integrationResponses ?? [], status.value)
  const template = firstTemplate(chosen?.responseTemplates) ?? integration.mockResponse?.body
  const invoker: WebSocketInvoker = (call) =>
    Promise.resolve({
      status: status.value,
      headers: new Headers(),
      ...(template === undefined ? {} : { body: renderTemplate(template, call) }),
    })
  return ok(invoker)
}

/** Builds the invoker of one WebSocket integration, or says why it cannot serve. */
export function buildWebSocketIntegration(
  integration: IntegrationConfig,
  api: ApiConfig,
  stageVariables: Readonly<Record<string, string>>
): Result<WebSocketInvoker, string> {
  const timeout = parseTimeout(integration)
  if (!timeout.ok) return timeout
  switch (integration.type) {
    case 'WORKER':
      return buildWorker(integration, timeout.value)
    case 'HTTP':
    case 'HTTP_PROXY':
      return buildHttp(integration, api, stageVariables, timeout.value)
    case 'MOCK':
      return buildMock(integration)
  }
}
