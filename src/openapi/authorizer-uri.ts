/**
 * An authorizer's `authorizerUri`: AWS names a Lambda function (invoke ARN or function ARN);
 * Portico calls a Worker service binding by the importer's naming rule (lambda-arn.ts) or an
 * https endpoint. `worker://BINDING` and `http(s)://…` are accepted as they are; the write-time
 * check (config/validate-authorizers.ts) allows plain http only to loopback with
 * `allowLoopbackUpstreams`, like integrations.
 */
import { err, ok, type Result } from '../result'
import { lambdaTarget, syntheticInvokeArn, workerBinding } from './lambda-arn'

/** AWS or Portico form → the stored form (`worker://BINDING` or the https URL). */
export function storedAuthorizerUri(uri: string): Result<string, string> {
  if (uri.startsWith('worker://') || /^https?:\/\//i.test(uri)) return ok(uri)
  const lambda = lambdaTarget(uri)
  if (lambda !== undefined && lambda.stageVariable === undefined) return ok(lambda.integrationUri)
  return err(
    'authorizerUri must be a Lambda function (invoke) ARN, worker://BINDING or an https:// URL'
  )
}

/** Stored form → AWS's Lambda invoke ARN for a binding (https URLs stay as they are). */
export function exportAuthorizerUri(stored: string): string {
  const binding = workerBinding(stored)
  return binding === undefined ? stored : syntheticInvokeArn(binding)
}
