/**
 * Frames the gateway itself sends on a connection: AWS's error frames
 * (`{"message": "Forbidden", "connectionId": "...", "requestId": "..."}`) and message ids.
 */

/** AWS's messages: no route for the message, throttled, and anything failing behind it. */
export type ErrorFrameMessage = 'Forbidden' | 'Too many requests' | 'Internal server error'

export function errorFrame(
  message: ErrorFrameMessage,
  connectionId: string,
  requestId: string
): string {
  return JSON.stringify({ message, connectionId, requestId })
}

/** AWS-like message id: 12 random bytes, base64. */
export function newMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary)
}

/** Portico's subscription instruction in an integration's answer (comma-separated topics). */
export const SUBSCRIBE_HEADER = 'x-portico-subscribe'
export const UNSUBSCRIBE_HEADER = 'x-portico-unsubscribe'

export function topicList(value: string | null): string[] {
  if (value === null) return []
  return value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
}
