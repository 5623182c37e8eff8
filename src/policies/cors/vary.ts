/** `Vary` is a list (RFC 9110 §12.5.5): fields are added to it, never replacing what is there. */

/** Adds the comma-separated `fields` to `headers`' `Vary`, skipping any already listed. */
export function mergeVary(headers: Headers, fields: string): void {
  const current = headers.get('vary')
  if (current === null || current.trim() === '') {
    headers.set('vary', fields)
    return
  }
  const listed = current.split(',').map((f) => f.trim().toLowerCase())
  // `Vary: *` already says "varies on everything".
  if (listed.includes('*')) return
  const added = fields
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '' && !listed.includes(f.toLowerCase()))
  if (added.length > 0) headers.set('vary', [current, ...added].join(', '))
}
