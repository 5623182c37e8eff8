/**
 * Write-time checks of a WEBSOCKET API beyond its schema (sizes and ranges are the schema's):
 * the route selection expression compiles, route responses use `$default` only (AWS supports no
 * other key for proxy integrations), integration response keys are `$default` or a simple status
 * pattern, MOCK request templates give a status, HTTP integration URIs have no path placeholders,
 * and `allowOrigins` entries are origins (`https://app.example.com[:port]`, never `*` or `null`).
 */
import type { ApiConfig, IntegrationConfig, RouteConfig } from '../config/types'
import { pointer, type ConfigIssue } from '../config/validate-issues'
import { mockStatus } from './integration'
import { compileRouteSelection } from './route-selection'

/** `/2\d\d/`, `/4\d\d|5\d\d/`, `/200/`: digits, `\d`, `x`, alternation and groups only. */
const STATUS_PATTERN = /^\/[0-9dx\\|()[\]-]{1,64}\/$/
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$/

function routeIssues(route: RouteConfig, at: string): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const expression = route.routeResponseSelectionExpression
  if (expression !== undefined && expression !== '$default') {
    issues.push({
      path: `${at}/routeResponseSelectionExpression`,
      message: 'must be $default (the only route response selection Portico and AWS support)',
    })
  }
  route.routeResponses?.forEach((response, i) => {
    if (response.routeResponseKey !== '$default') {
      issues.push({
        path: `${at}${pointer('routeResponses', i, 'routeResponseKey')}`,
        message: 'must be $default',
      })
    }
  })
  return issues
}

function statusPatternIssue(key: string): string | undefined {
  if (key === '$default') return undefined
  if (!STATUS_PATTERN.test(key)) {
    return 'must be $default or a status pattern like /2\\d\\d/ (digits, \\d, x, |, groups)'
  }
  try {
    new RegExp(key.slice(1, -1))
  } catch {
    return 'is not a valid status pattern'
  }
  return undefined
}

function integrationIssues(
  integration: IntegrationConfig,
  at: string,
  routed: boolean
): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  integration.integrationResponses?.forEach((response, i) => {
    const problem = statusPatternIssue(response.integrationResponseKey)
    if (problem !== undefined) {
      issues.push({
        path: `${at}${pointer('integrationResponses', i, 'integrationResponseKey')}`,
        message: problem,
      })
    }
  })
  if (integration.type === 'MOCK') {
    const status = mockStatus(integration)
    if (!status.ok) issues.push({ path: `${at}/requestTemplates`, message: status.error })
  }
  const uri = integration.integrationUri
  // Only integrations a route targets can be called; the others are left as written.
  const http = integration.type === 'HTTP' || integration.type === 'HTTP_PROXY'
  if (routed && http && uri !== undefined) {
    if (/[{}]/.test(uri.replace(/\$\{stageVariables\.[A-Za-z0-9_]{1,64}\}/g, ''))) {
      issues.push({
        path: `${at}/integrationUri`,
        message: 'WebSocket integrations have no path parameters: no {placeholders}',
      })
    }
  }
  return issues
}

function settingsIssues(api: ApiConfig, base: string): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  api.webSocket?.allowOrigins?.forEach((origin, i) => {
    if (!ORIGIN.test(origin)) {
      issues.push({
        path: `${base}${pointer('webSocket', 'allowOrigins', i)}`,
        message: 'must be an origin like https://app.example.com (scheme, host, optional port)',
      })
    }
  })
  const ws = api.webSocket
  if (
    ws?.idleTimeoutSeconds !== undefined &&
    ws.maxConnectionSeconds !== undefined &&
    ws.idleTimeoutSeconds > ws.maxConnectionSeconds
  ) {
    issues.push({
      path: `${base}/webSocket/idleTimeoutSeconds`,
      message: 'must not exceed maxConnectionSeconds',
    })
  }
  return issues
}

/** Issues of a WEBSOCKET API (`base` prefixes paths, as in validate-api.ts). */
export function webSocketIssues(api: ApiConfig, base = ''): ConfigIssue[] {
  if (api.protocolType !== 'WEBSOCKET') return []
  const issues: ConfigIssue[] = []
  const expression = api.routeSelectionExpression
  if (expression === undefined) {
    issues.push({
      path: `${base}/routeSelectionExpression`,
      message: 'is required for WEBSOCKET APIs (e.g. $request.body.action)',
    })
  } else {
    const compiled = compileRouteSelection(expression)
    if (!compiled.ok) {
      issues.push({ path: `${base}/routeSelectionExpression`, message: compiled.error })
    }
  }
  api.routes.forEach((route, i) =>
    issues.push(...routeIssues(route, `${base}${pointer('routes', i)}`))
  )
  const routed = new Set(api.routes.map((r) => r.integrationId))
  api.integrations.forEach((integration, i) => {
    const at = `${base}${pointer('integrations', i)}`
    issues.push(...integrationIssues(integration, at, routed.has(integration.id)))
  })
  issues.push(...settingsIssues(api, base))
  return issues
}
