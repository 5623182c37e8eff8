/**
 * The AWS Lambda proxy integration shapes the demo handler uses. The event and result types are
 * Portico's own public contract (src/integrations, type-only imports: nothing of the gateway is
 * bundled into the demo). Payload format 1.0 is what REST APIs send; 2.0 is the HTTP API default.
 */
import type { LambdaEventV1, LambdaEventV2, LambdaResponseV1 } from '../../src/integrations'

/** Payload format 1.0 (REST APIs, `x-amazon-apigateway-integration` type `aws_proxy`). */
export type ProxyEventV1 = LambdaEventV1

/** Payload format 2.0 (HTTP APIs). */
export type ProxyEventV2 = LambdaEventV2

export type ProxyEvent = ProxyEventV1 | ProxyEventV2

/** The Lambda proxy response (both formats accept this shape). */
export type ProxyResult = LambdaResponseV1

/** The parts of the Lambda context object a handler commonly reads. */
export interface LambdaContext {
  functionName: string
  awsRequestId: string
  getRemainingTimeInMillis(): number
}

export function isV2(event: ProxyEvent): event is ProxyEventV2 {
  return event.version === '2.0'
}
