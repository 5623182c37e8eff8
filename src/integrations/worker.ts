/**
 * WORKER: the place of AWS's Lambda proxy integration. `integrationUri` is `worker://BINDING`;
 * the binding (a Workers service binding) receives the Lambda proxy event as a JSON POST and
 * answers with a Lambda proxy result (payload format 1.0 or 2.0). A backend that throws, answers
 * non-200 or answers something unparseable is MALFORMED_INTEGRATION_RESPONSE (AWS: 502);
 * no complete answer within the timeout is INTEGRATION_TIMEOUT.
 */
import type { IntegrationConfig } from '../config/types'
import { GatewayError } from '../errors/gateway-error'
import { BINDING_NAME, upperSnake } from './binding-name'
import type { IntegrationHandler, RequestContext } from '../pipeline/types'
import { err, ok, type Result } from '../result'
import { LAMBDA_PAYLOAD_LIMIT } from './body'
import { readCapped } from '../streams/read-capped'
import type { BuildInput } from './index'
import { readLambdaBody } from './lambda-body'
import { buildLambdaEventV1 } from './lambda-event-v1'
import { buildLambdaEventV2 } from './lambda-event-v2'
import { parseLambdaResponse } from './lambda-response'
import { parseTimeout } from './options'
import { lambdaInvokeUrl, serviceBinding } from './service-binding'
import { withTimeout } from './transport'

interface WorkerTarget {
  readonly binding: string
  /** The Lambda Invoke URL for `binding`, fixed at build. */
  readonly url: string
  readonly version: '1.0' | '2.0'
  readonly timeoutMs: number
}

function malformed(reason: string): GatewayError {
  return new GatewayError('MALFORMED_INTEGRATION_RESPONSE', { reason })
}

async function invoke(ctx: RequestContext, target: WorkerTarget): Promise<Response> {
  const binding = serviceBinding(ctx.env, target.binding)
  if (binding === undefined) {
    throw new GatewayError('API_CONFIGURATION_ERROR', {
      reason: `binding ${target.binding} is not a service binding`,
    })
  }
  const body = await readLambdaBody(ctx)
  const event =
    target.version === '1.0' ? buildLambdaEventV1(ctx, body) : buildLambdaEventV2(ctx, body)
  let text: string
  try {
    text = await withTimeout(ctx, target.timeoutMs, async (signal) => {
      const response = await binding.fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
        signal,
      })
      ctx.log.integrationStatus = response.status
      if (response.status !== 200) {
        await response.body?.cancel()
        throw malformed(`backend answered HTTP ${String(response.status)}`)
      }
      // AWS: the response payload is capped at 6 MB like the request.
      const bytes = await readCapped(response.body, LAMBDA_PAYLOAD_LIMIT)
      if (bytes === undefined) throw malformed('backend response over 6 MB')
      return new TextDecoder().decode(bytes)
    })
  } catch (error) {
    // A backend that throws is a Lambda function error: AWS answers 502, not 504.
    if (error instanceof GatewayError && error.type === 'INTEGRATION_FAILURE') {
      throw malformed(error.detail.reason ?? 'backend failed')
    }
    throw error
  }
  const parsed = parseLambdaResponse(text, target.version)
  if (!parsed.ok) throw malformed(`backend response: ${parsed.error}`)
  const { status, headers, body: payload } = parsed.value
  return new Response(payload, { status, headers })
}

const LITERAL_BINDING = /^worker:\/\/([A-Za-z_][A-Za-z0-9_]*)$/
const STAGE_VARIABLE_BINDING = /^worker:\/\/\$\{stageVariables\.([A-Za-z0-9_]{1,64})\}$/

/**
 * `worker://BINDING`, or `worker://${stageVariables.fn}` (AWS's per-stage Lambda function name):
 * the variable's value names the function, whose binding follows the upperSnake rule.
 */
function bindingFor(uri: string, stageVariables: Readonly<Record<string, string>>) {
  const literal = LITERAL_BINDING.exec(uri)?.[1]
  if (literal !== undefined) return ok(literal)
  const variable = STAGE_VARIABLE_BINDING.exec(uri)?.[1]
  if (variable === undefined) return err('integrationUri must be worker://BINDING_NAME')
  const value = stageVariables[variable]
  if (value === undefined || value === '') {
    return err(`stage variable ${variable} (the Lambda function name) is not set on this stage`)
  }
  const binding = upperSnake(value)
  return BINDING_NAME.test(binding)
    ? ok(binding)
    : err(`stage variable ${variable} does not name a usable service binding`)
}

/** Builds a WORKER handler. The binding itself can only be checked per request (no env here). */
export function buildWorkerIntegration(
  integration: IntegrationConfig,
  input: BuildInput
): Result<IntegrationHandler, string> {
  const binding = bindingFor(integration.integrationUri ?? '', input.stageVariables)
  if (!binding.ok) return binding
  if (integration.requestParameters !== undefined || integration.responseParameters !== undefined) {
    return err('parameter mapping is not supported for WORKER integrations')
  }
  const timeoutMs = parseTimeout(integration)
  if (!timeoutMs.ok) return timeoutMs
  // AWS: REST APIs speak 1.0; HTTP APIs default to 2.0.
  const version =
    integration.payloadFormatVersion ?? (input.api.protocolType === 'HTTP' ? '2.0' : '1.0')
  const target: WorkerTarget = {
    binding: binding.value,
    url: lambdaInvokeUrl(binding.value),
    version,
    timeoutMs: timeoutMs.value,
  }
  return ok((ctx) => invoke(ctx, target))
}
