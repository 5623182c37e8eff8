/**
 * Caps of the validate step (SECURITY: sizes and parsers; "no request may cost the gateway 100×
 * its size in CPU"). A validated body is buffered and parsed, so it gets its own, smaller cap
 * than the gateway's 10 MB pass-through limit; everything the JSON Schema validator may do per
 * request is bounded by these numbers together with the write-time schema checks.
 */

/** Largest body a validated route buffers (larger: 413). */
export const MAX_VALIDATED_BODY_BYTES = 1024 * 1024
/** Deepest nesting of arrays/objects in a validated body (deeper: 400 BAD_REQUEST_BODY). */
export const MAX_BODY_DEPTH = 64
/**
 * Longest string (value or key) in a body validated by a model that uses `pattern` /
 * `patternProperties`. Patterns are vetted at write, but JavaScript's engine still backtracks
 * quadratically on some safe-looking ones; this keeps one match under ~10^7 steps.
 */
export const MAX_PATTERN_SUBJECT_CHARS = 4096
/** `uniqueItems` compares all pairs: Σ n² over the body's arrays stays under this. */
export const UNIQUE_ITEMS_PAIR_BUDGET = 4_000_000
/** Items in any array of a model (`enum`, `required`…): the meta-schema compares them pairwise. */
export const MAX_SCHEMA_ARRAY_ITEMS = 1000
/** Distinct subschemas one model may compile to (its referenced models included). */
export const MAX_SCHEMA_NODES = 5000
/**
 * Validator work along one path of the body (each subschema evaluation costs 1 plus its
 * `properties`, `patternProperties`, `required` and `enum` entries), worst case over all bodies
 * within the depth cap. A request's work is at most this times the body's leaf count.
 */
export const MAX_WORK_PER_PATH = 10_000
/** Violations listed in a BAD_REQUEST_BODY message; the rest are counted. */
export const MAX_REPORTED_VIOLATIONS = 5
/** Missing parameter names listed in a BAD_REQUEST_PARAMETERS message; the rest are counted. */
export const MAX_REPORTED_PARAMETERS = 10
