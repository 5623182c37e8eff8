/**
 * Row shapes of the API key / usage plan tables (migrations/0002) as the rest of the code sees
 * them. Field names follow AWS's apigateway v1 resources.
 */
import type { QuotaSettings, ThrottleSettings } from '../rate-limit/types'

export interface ApiKeyRecord {
  id: string
  name: string
  description?: string
  enabled: boolean
  customerId?: string
  /** Public prefix of the value (e.g. `ptk_ab12`), never the value itself. */
  valuePrefix: string
  tags?: Record<string, string>
  createdDate: string
  lastUpdatedDate: string
}

export interface UsagePlanApiStage {
  apiId: string
  stage: string
  /** AWS per-method overrides keyed `/{resourcePath}/{METHOD}` (e.g. `/pets/GET`). */
  throttle?: Record<string, ThrottleSettings>
}

export interface UsagePlanRecord {
  id: string
  name: string
  description?: string
  throttle?: ThrottleSettings
  quota?: QuotaSettings
  apiStages: UsagePlanApiStage[]
  tags?: Record<string, string>
  createdDate: string
  lastUpdatedDate: string
}

/** What the data plane needs to know about a presented key (one D1 query, cached briefly). */
export interface KeyLookupResult {
  key: ApiKeyRecord
  /** Usage plans the key belongs to. */
  plans: UsagePlanRecord[]
}
