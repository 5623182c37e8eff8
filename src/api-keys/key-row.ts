/** The `api_keys` row shape and its mapping to `ApiKeyRecord` (shared by the storage modules). */
import type { ApiKeyRecord } from '../storage/usage-plan-types'
import { parseOptional, toTags } from './stored-json'

/** Selected columns of `api_keys` aliased `k` (never `key_hash`: nothing above storage needs it). */
export const KEY_COLUMNS =
  'k.id, k.value_prefix, k.name, k.description, k.enabled, k.customer_id, k.tags, k.created_date, k.last_updated_date'

/** A row as selected by KEY_COLUMNS. */
export interface KeyRow {
  id: string
  value_prefix: string
  name: string
  description: string | null
  enabled: number
  customer_id: string | null
  tags: string | null
  created_date: string
  last_updated_date: string
}

/** A row as a record; throws on a corrupt `tags` column. */
export function keyFromRow(row: KeyRow): ApiKeyRecord {
  const tags = parseOptional(row.tags, 'tags', toTags)
  if (!tags.ok) throw new Error(`api key ${row.id}: stored ${tags.error}`)
  const key: ApiKeyRecord = {
    id: row.id,
    name: row.name,
    enabled: row.enabled !== 0,
    valuePrefix: row.value_prefix,
    createdDate: row.created_date,
    lastUpdatedDate: row.last_updated_date,
  }
  if (row.description !== null) key.description = row.description
  if (row.customer_id !== null) key.customerId = row.customer_id
  if (tags.value !== undefined) key.tags = tags.value
  return key
}
