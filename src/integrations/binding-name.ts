/**
 * The rule that turns a Lambda function name into a Worker service binding name
 * (`my-function` → `MY_FUNCTION`, `orderHandler:live` → `ORDER_HANDLER_LIVE`), shared by the
 * OpenAPI importer, the admin API and WORKER integrations whose function comes from a stage
 * variable.
 */
export function upperSnake(name: string): string {
  const snake = name
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase()
  return /^[0-9]/.test(snake) ? `LAMBDA_${snake}` : snake
}

/** Binding names as wrangler accepts them and Portico's config schema allows. */
export const BINDING_NAME = /^[A-Z][A-Z0-9_]{0,63}$/
