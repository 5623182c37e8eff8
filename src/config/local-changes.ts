/**
 * Admin writes bump this generation so the isolate that made a change serves it at once; other
 * isolates and locations pick it up within CONFIG_CACHE_SECONDS plus KV propagation.
 */
let generation = 0

/** Call after any admin write to the route config. */
export function noteLocalConfigChange(): void {
  generation++
}

export function localConfigGeneration(): number {
  return generation
}
