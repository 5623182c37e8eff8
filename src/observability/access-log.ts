/**
 * Access logs in AWS's `$context.*` format language (stage `accessLogSettings.format`). One line
 * per request to the Workers log. Query strings are never logged: they may carry keys or tokens.
 */

/** Replace `$context.name` (and `$context.a.b`) with values; unknown variables print as `-`. */
export function formatAccessLog(format: string, vars: Readonly<Record<string, string>>): string {
  return format.replace(/\$context\.([A-Za-z0-9_.]+[A-Za-z0-9_])/g, (_m, name: string) => {
    const value = vars[name]
    return value === undefined || value === '' ? '-' : escapeForLog(value)
  })
}

/** Log lines must stay one line and JSON formats must stay JSON. */
function escapeForLog(value: string): string {
  return JSON.stringify(value).slice(1, -1)
}

export interface AccessLogFacts {
  requestId: string
  apiId: string
  stage: string
  domainName: string
  httpMethod: string
  path: string
  resourcePath: string
  routeKey: string
  protocol: string
  status: number
  sourceIp: string
  userAgent: string
  requestTimeEpoch: number
  responseLatencyMs: number
  integrationStatus?: number | undefined
  integrationLatencyMs?: number | undefined
  errorMessage?: string | undefined
  errorType?: string | undefined
}

export function accessLogVariables(f: AccessLogFacts): Record<string, string> {
  return {
    requestId: f.requestId,
    extendedRequestId: f.requestId,
    apiId: f.apiId,
    stage: f.stage,
    domainName: f.domainName,
    httpMethod: f.httpMethod,
    path: f.path,
    resourcePath: f.resourcePath,
    routeKey: f.routeKey,
    protocol: f.protocol,
    status: String(f.status),
    'identity.sourceIp': f.sourceIp,
    'identity.userAgent': f.userAgent,
    requestTime: new Date(f.requestTimeEpoch).toISOString(),
    requestTimeEpoch: String(f.requestTimeEpoch),
    responseLatency: String(f.responseLatencyMs),
    integrationStatus: f.integrationStatus === undefined ? '' : String(f.integrationStatus),
    integrationLatency: f.integrationLatencyMs === undefined ? '' : String(f.integrationLatencyMs),
    'integration.status': f.integrationStatus === undefined ? '' : String(f.integrationStatus),
    'error.message': f.errorMessage ?? '',
    'error.responseType': f.errorType ?? '',
  }
}
