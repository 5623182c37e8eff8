export declare const DEMO_API_PATH: string
export declare function loadDemoDocument(path?: string): unknown

export interface SeedDemoOptions {
  /** wrangler dev's port on 127.0.0.1. */
  port: number
  adminToken: string
  /** Default `admin.localhost`. */
  adminHost?: string
  /** `host:port` of the pets upstream, the stage variable `upstream`. Default `127.0.0.1:8788`. */
  upstream?: string
  /** Default `dev`. */
  stageName?: string
  document?: unknown
  /** Where a demo-key failure is reported; the key itself is in the result. Default `console.log`. */
  log?: (line: string) => void
}

export interface DemoKey {
  id: string
  /** The plaintext value (returned by the admin API only at creation). */
  value: string
  usagePlanId: string
}

export interface SeedDemoResult {
  apiId: string
  stageName: string
  deploymentId: string
  /** false when an API with the demo's title already existed and was overwritten. */
  created: boolean
  /** The demo API key, absent when the key/usage plan admin resources failed. */
  demoKey?: DemoKey
}

export declare const DEMO_PLAN_NAME: string
export declare const DEMO_KEY_NAME: string
export declare function demoKeyExample(options: {
  apiId: string
  stageName: string
  value: string
  port?: number
}): string

export declare function seedDemo(options: SeedDemoOptions): Promise<SeedDemoResult>

export declare const CHAT_API_NAME: string

export interface SeedChatResult {
  apiId: string
  stageName: string
  /** false when the chat API already existed (its routes and integrations were rebuilt). */
  created: boolean
}

export declare function seedChat(options: {
  port: number
  adminToken: string
  adminHost?: string
  /** Default `dev`. */
  stageName?: string
}): Promise<SeedChatResult>

export declare function chatExample(options: {
  apiId: string
  stageName: string
  port?: number
}): string
