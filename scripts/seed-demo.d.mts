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
}

export interface SeedDemoResult {
  apiId: string
  stageName: string
  deploymentId: string
  /** false when an API with the demo's title already existed and was overwritten. */
  created: boolean
}

export declare function seedDemo(options: SeedDemoOptions): Promise<SeedDemoResult>
