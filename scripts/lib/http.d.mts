import type { IncomingHttpHeaders } from 'node:http'

export interface RequestOptions {
  port: number
  /** Value of the `Host` header (`admin.localhost`, `{apiId}.execute-api.localhost`). */
  host: string
  method?: string
  /** Path and query exactly as sent on the request line (not normalised). */
  path: string
  headers?: Record<string, string>
  body?: string | Buffer
  timeoutMs?: number
}

export interface SimpleResponse {
  status: number
  headers: IncomingHttpHeaders
  text: string
  json(): unknown
}

export declare function request(options: RequestOptions): Promise<SimpleResponse>
