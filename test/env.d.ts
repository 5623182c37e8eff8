import type { D1Migration } from '@cloudflare/vitest-plugin'
import type { GatewayBindings } from '../src/env'

declare global {
  namespace Cloudflare {
    interface Env extends GatewayBindings {
      TEST_MIGRATIONS: D1Migration[]
      UPSTREAM_PORT: number
      CLOSED_PORT: number
    }
  }
}
