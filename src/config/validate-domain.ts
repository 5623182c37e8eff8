/**
 * Semantic checks on a schema-valid `DomainNameConfig`: DNS syntax of the name (RFC 1035 §2.3.1
 * preferred syntax, lower case because hosts compare case-insensitively and the KV key is
 * lower-cased), a wildcard only as the whole first label, and base-path mappings that the router
 * can tell apart.
 */
import type { ApiMappingConfig, DomainNameConfig } from './types'
import { MAX_DNS_LABEL_LENGTH, MAX_DOMAIN_NAME_LENGTH } from './limits'
import { pointer, type ConfigIssue } from './validate-issues'

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/

/** Why `name` is not a usable domain name (exact or `*.` wildcard), or undefined when it is. */
export function domainNameProblem(name: string): string | undefined {
  if (name.length > MAX_DOMAIN_NAME_LENGTH) {
    return `must be at most ${MAX_DOMAIN_NAME_LENGTH} characters`
  }
  if (name !== name.toLowerCase()) return 'must be lower case'
  const wildcard = name.startsWith('*.')
  const labels = (wildcard ? name.slice(2) : name).split('.')
  if (labels.some((l) => l.includes('*'))) {
    return 'a wildcard is only allowed as the whole first label (*.example.com)'
  }
  if (labels.length < 2) return 'must have at least two labels (e.g. api.example.com)'
  for (const label of labels) {
    if (label === '') return 'must not contain empty labels (leading, trailing or double dots)'
    if (label.length > MAX_DNS_LABEL_LENGTH) {
      return `label ${JSON.stringify(label.slice(0, 16))}… is longer than ${MAX_DNS_LABEL_LENGTH} characters`
    }
    if (!LABEL.test(label)) {
      return `label ${JSON.stringify(label)} must be letters, digits and inner hyphens`
    }
  }
  // A numeric top-level label would make the name read as an IPv4 address (WHATWG URL).
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) {
    return 'must not end in a numeric label (an IP address is not a domain name)'
  }
  return undefined
}

/** Why `key` is not a usable apiMappingKey ('' or `seg(/seg)*`), or undefined. */
export function apiMappingKeyProblem(key: string): string | undefined {
  if (key === '') return undefined
  if (key.startsWith('/') || key.endsWith('/')) return 'must not start or end with /'
  for (const segment of key.split('/')) {
    if (segment === '') return 'must not contain empty segments (//)'
    // DESIGN §5: dot segments are ambiguous paths; a base path must not be one.
    if (segment === '.' || segment === '..') return 'must not contain . or .. segments'
  }
  return undefined
}

function duplicateIssues(
  mappings: readonly ApiMappingConfig[],
  field: 'apiMappingId' | 'apiMappingKey'
): ConfigIssue[] {
  const first = new Map<string, number>()
  const issues: ConfigIssue[] = []
  mappings.forEach((m, i) => {
    const earlier = first.get(m[field])
    if (earlier === undefined) {
      first.set(m[field], i)
      return
    }
    issues.push({
      path: pointer('mappings', i, field),
      message: `duplicate ${field} ${JSON.stringify(m[field])} (also at ${pointer('mappings', earlier, field)})`,
    })
  })
  return issues
}

/** Semantic issues of a schema-valid domain name document. */
export function domainSemanticIssues(doc: DomainNameConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const nameProblem = domainNameProblem(doc.domainName)
  if (nameProblem !== undefined) issues.push({ path: '/domainName', message: nameProblem })
  doc.mappings.forEach((m, i) => {
    const problem = apiMappingKeyProblem(m.apiMappingKey)
    if (problem !== undefined) {
      issues.push({ path: pointer('mappings', i, 'apiMappingKey'), message: problem })
    }
  })
  return [
    ...issues,
    ...duplicateIssues(doc.mappings, 'apiMappingId'),
    ...duplicateIssues(doc.mappings, 'apiMappingKey'),
  ]
}
