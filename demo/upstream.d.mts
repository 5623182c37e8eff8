/** Types for `demo/upstream.mjs` (used by the e2e quick-start test). */
export declare const DEFAULT_UPSTREAM_PORT: number
export interface DemoUpstream {
  port: number
  close(): Promise<void>
}
export declare function startDemoUpstream(port?: number): Promise<DemoUpstream>
