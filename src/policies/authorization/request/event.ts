/**
 * The event a request authorizer receives, in AWS's shapes: TOKEN
 * `{type, authorizationToken, methodArn}`; REQUEST 1.0 (REST, and HTTP APIs on request) = the
 * Lambda proxy 1.0 event without the body, plus `type` and `methodArn` (HTTP APIs also get
 * `identitySource` and `authorizationToken` as a comma-joined string); REQUEST 2.0 (HTTP APIs) =
 * the proxy 2.0 event without the body, plus `type`, `routeArn` and `identitySource[]`.
 */
import { buildLambdaEventV1, type LambdaEventV1 } from '../../../integrations/lambda-event-v1'
import { buildLambdaEventV2, type LambdaEventV2 } from '../../../integrations/lambda-event-v2'
import type { RequestContext } from '../../../pipeline/types'
import type { CompiledRequestAuthorizer } from './compile'

const NO_BODY = { body: null, isBase64Encoded: false } as const

/** Builds the event for `authorizer`; `identity` are the resolved identity-source values. */
export function buildAuthorizerEvent(
  ctx: RequestContext,
  authorizer: CompiledRequestAuthorizer,
  identity: readonly string[],
  arn: string
): Record<string, unknown> {
  if (authorizer.type === 'TOKEN') {
    return { type: 'TOKEN', authorizationToken: identity[0] ?? '', methodArn: arn }
  }
  if (authorizer.payloadVersion === '2.0') {
    const { version, ...rest }: Partial<LambdaEventV2> = buildLambdaEventV2(ctx, NO_BODY)
    delete rest.body
    delete rest.isBase64Encoded
    return { version, type: 'REQUEST', routeArn: arn, identitySource: [...identity], ...rest }
  }
  const { version, ...rest }: Partial<LambdaEventV1> = buildLambdaEventV1(ctx, NO_BODY)
  delete rest.body
  delete rest.isBase64Encoded
  const joined = identity.join(',')
  return {
    ...(version === undefined
      ? {}
      : { version, identitySource: joined, authorizationToken: joined }),
    type: 'REQUEST',
    methodArn: arn,
    ...rest,
  }
}
