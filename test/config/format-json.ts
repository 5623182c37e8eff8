/**
 * JSON text laid out as Prettier lays out a .json file (printWidth 100): objects expanded, an
 * array on one line when it fits, else one element per line. Used to keep the generated
 * docs/config.schema.json stable under `prettier --check`.
 */
const WIDTH = 100

function isPrimitive(value: unknown): boolean {
  return typeof value !== 'object' || value === null
}

function format(value: unknown, indent: string, lead: number, tail: number): string {
  if (isPrimitive(value)) return JSON.stringify(value)
  const inner = `${indent}  `
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    if (value.every(isPrimitive)) {
      const flat = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`
      if (lead + flat.length + tail <= WIDTH) return flat
    }
    const items = value.map((v, i) => {
      const comma = i < value.length - 1 ? 1 : 0
      return `${inner}${format(v, inner, inner.length, comma)}`
    })
    return `[\n${items.join(',\n')}\n${indent}]`
  }
  const entries = Object.entries(value as Record<string, unknown>)
  if (entries.length === 0) return '{}'
  const lines = entries.map(([k, v], i) => {
    const key = `${JSON.stringify(k)}: `
    const comma = i < entries.length - 1 ? 1 : 0
    return `${inner}${key}${format(v, inner, inner.length + key.length, comma)}`
  })
  return `{\n${lines.join(',\n')}\n${indent}}`
}

export function formatJson(value: unknown): string {
  return `${format(value, '', 0, 0)}\n`
}
