export interface AdminCredentials {
  ADMIN_TOKEN: string
  ADMIN_ACCESS_KEY_ID: string
  ADMIN_SECRET_ACCESS_KEY: string
}
export declare function generateCredentials(): AdminCredentials
export declare function formatEnvFile(vars: Record<string, string>, header?: string): string
export declare function parseEnvFile(text: string): Record<string, string>
export declare function writePrivateFile(path: string, text: string): void
export declare function ensureDevVars(path: string): {
  created: boolean
  vars: Record<string, string>
}
