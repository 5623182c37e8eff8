/**
 * Global setup of the `e2e` project: a real loopback upstream and a real `wrangler dev` running
 * the gateway and the demo backend. Tests read the addresses and admin credentials with
 * `inject('gateway')` (see harness.ts for request helpers).
 */
import type { TestProject } from 'vitest/node'
import { startUpstream } from '../support/upstream-server'
import { startLocalGateway } from './support/wrangler-dev'

export interface GatewayInfo {
  /** wrangler dev's port on 127.0.0.1. */
  port: number
  /** `Host` of the admin plane. */
  adminHost: string
  adminToken: string
  /** Admin SigV4 key pair. */
  accessKeyId: string
  secretAccessKey: string
  /** Port of test/support/upstream-server.ts on 127.0.0.1. */
  upstreamPort: number
}

declare module 'vitest' {
  export interface ProvidedContext {
    gateway: GatewayInfo
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const upstream = await startUpstream()
  let gateway
  try {
    gateway = await startLocalGateway()
  } catch (error) {
    await upstream.close()
    throw error
  }
  project.provide('gateway', {
    port: gateway.port,
    adminHost: 'admin.localhost',
    adminToken: gateway.adminToken,
    accessKeyId: gateway.accessKeyId,
    secretAccessKey: gateway.secretAccessKey,
    upstreamPort: upstream.port,
  })
  return async () => {
    await gateway.stop()
    await upstream.close()
  }
}
