/**
 * Body validation against the route's model: pick the model by media type, buffer the body under
 * its own cap, refuse deep or over-budget JSON before parsing, validate, and hand back the exact
 * bytes so the integration receives the body unchanged.
 */
import { GatewayError } from '../../errors/gateway-error'
import { readCapped } from '../../streams/read-capped'
import type { CompiledModel } from './compile-model'
import {
  MAX_BODY_DEPTH,
  MAX_PATTERN_SUBJECT_CHARS,
  MAX_VALIDATED_BODY_BYTES,
  UNIQUE_ITEMS_PAIR_BUDGET,
} from './limits'
import { mediaTypeOf, selectByMediaType } from './media-type'
import { invalidBodyMessage } from './messages'
import { scanJsonShape } from './json-shape'

const badBody = (reason: string, message?: string) =>
  new GatewayError('BAD_REQUEST_BODY', message === undefined ? { reason } : { reason, message })

function parseWithinBudget(text: string, model: CompiledModel): unknown {
  // AWS validates an empty body as an empty JSON object.
  if (text.trim() === '') return {}
  const shape = scanJsonShape(text, MAX_BODY_DEPTH)
  if (shape === undefined) throw badBody(`body nests deeper than ${String(MAX_BODY_DEPTH)}`)
  if (model.usesPattern && shape.longestString > MAX_PATTERN_SUBJECT_CHARS) {
    throw badBody(`string over ${String(MAX_PATTERN_SUBJECT_CHARS)} characters for a pattern model`)
  }
  if (model.usesUniqueItems && shape.arrayPairs > UNIQUE_ITEMS_PAIR_BUDGET) {
    throw badBody('arrays too large for a uniqueItems model')
  }
  try {
    return JSON.parse(text)
  } catch {
    throw badBody('body is not JSON')
  }
}

/**
 * Validates the body of `request` against the model its media type selects; returns the bytes
 * read (the caller forwards them). Throws UNSUPPORTED_MEDIA_TYPE, REQUEST_TOO_LARGE or
 * BAD_REQUEST_BODY.
 */
export async function validateBody(
  request: Request,
  models: ReadonlyMap<string, CompiledModel>
): Promise<Uint8Array> {
  const mediaType = mediaTypeOf(request.headers.get('content-type'))
  const model = selectByMediaType(models, mediaType)
  if (model === undefined) {
    // Deviation from AWS (which skips validation): switching Content-Type must not bypass it.
    await request.body?.cancel()
    throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', { reason: 'no model for the content type' })
  }
  const bytes = await readCapped(request.body, MAX_VALIDATED_BODY_BYTES, {
    declaredLength: request.headers.get('content-length'),
  })
  if (bytes === undefined) {
    throw new GatewayError('REQUEST_TOO_LARGE', {
      reason: `validated body over ${String(MAX_VALIDATED_BODY_BYTES)} bytes`,
    })
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    throw badBody('body is not UTF-8')
  }
  const violations = model.violations(parseWithinBudget(text, model))
  if (violations.length > 0) {
    throw badBody(
      `model ${model.name}: ${String(violations.length)} violations`,
      invalidBodyMessage(violations)
    )
  }
  return bytes
}
