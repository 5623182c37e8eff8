/**
 * Lambda function ARNs ⇄ Worker service bindings. AWS's Lambda proxy integration (`aws_proxy`)
 * becomes a WORKER integration: the function is a Workers service binding whose name is the
 * function name in UPPER_SNAKE (`my-fn` → `MY_FN`, `ServerlessExpressFn` → `SERVERLESS_EXPRESS_FN`,
 * qualifier `:live` → `_LIVE`). A name taken from a stage variable stays a reference
 * (`worker://${stageVariables.fn}`); the WORKER integration applies the same rule to its value.
 */
import { upperSnake } from '../integrations/binding-name'

// AWS: integration uri `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{fnArn}/invocations`;
// HTTP APIs also accept the function ARN itself.
const INVOKE_ARN =
  /^arn:aws[a-z-]*:apigateway:[^:/]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/

const NAME = '(?:[A-Za-z0-9_-]+|\\$\\{stageVariables\\.[A-Za-z0-9_]+\\})'
const FUNCTION_ARN = new RegExp(
  `^arn:aws[a-z-]*:lambda:[^:]+:[^:]+:function:(${NAME})(?::(${NAME}))?$`
)
const STAGE_VARIABLE = /^\$\{stageVariables\.([A-Za-z0-9_]+)\}$/

export interface LambdaTarget {
  /** `worker://BINDING` or `worker://${stageVariables.x}`. */
  integrationUri: string
  binding: string
  /** Set when the function name (or qualifier) comes from a stage variable. */
  stageVariable?: string
}

/** Parses an `aws_proxy` uri; undefined when it does not name a Lambda function. */
export function lambdaTarget(uri: string): LambdaTarget | undefined {
  const fnArn = INVOKE_ARN.exec(uri)?.[1] ?? uri
  const m = FUNCTION_ARN.exec(fnArn)
  const name = m?.[1]
  if (name === undefined) return undefined
  const qualifier = m?.[2]
  const variable = STAGE_VARIABLE.exec(name)?.[1] ?? STAGE_VARIABLE.exec(qualifier ?? '')?.[1]
  if (variable !== undefined) {
    // One stage variable, no mixing: the binding name is resolved from it at request time.
    if (qualifier !== undefined) return undefined
    const binding = `\${stageVariables.${variable}}`
    return { integrationUri: `worker://${binding}`, binding, stageVariable: variable }
  }
  const binding = upperSnake(qualifier === undefined ? name : `${name}_${qualifier}`)
  if (binding === '') return undefined
  return { integrationUri: `worker://${binding}`, binding }
}

/** The binding in a `worker://` uri, or undefined. */
export function workerBinding(integrationUri: string | undefined): string | undefined {
  return integrationUri?.startsWith('worker://') === true
    ? integrationUri.slice('worker://'.length)
    : undefined
}

/**
 * A Lambda invoke ARN naming `binding`, for export when the imported ARN is not known. Region
 * and account are placeholders; re-import gives the same binding (UPPER_SNAKE is idempotent).
 */
export function syntheticInvokeArn(binding: string): string {
  const fn = `arn:aws:lambda:us-east-1:000000000000:function:${binding}`
  return `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn}/invocations`
}
