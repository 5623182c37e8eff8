/** The request's media type and the model it selects (AWS `requestModels`). */

/** AWS: a request without Content-Type is treated as `application/json`. */
export const DEFAULT_MEDIA_TYPE = 'application/json'
/** AWS: a model for `$default` applies whatever the content type. */
export const DEFAULT_MODEL_KEY = '$default'

/** `type/subtype` of a Content-Type header, lower-cased, parameters dropped. */
export function mediaTypeOf(contentType: string | null): string {
  if (contentType === null) return DEFAULT_MEDIA_TYPE
  const essence = (contentType.split(';')[0] ?? '').trim().toLowerCase()
  return essence === '' ? DEFAULT_MEDIA_TYPE : essence
}

/** The entry for `mediaType` (exact, case-insensitive keys), else the `$default` one. */
export function selectByMediaType<T>(
  byMediaType: ReadonlyMap<string, T>,
  mediaType: string
): T | undefined {
  return byMediaType.get(mediaType) ?? byMediaType.get(DEFAULT_MODEL_KEY)
}
