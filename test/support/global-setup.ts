/** Starts the loopback upstream for the worker test project and hands its port to the tests. */
import type { TestProject } from 'vitest/node'
import { startJwksServer } from './jwks-server'
import { findClosedPort, startUpstream } from './upstream-server'

declare module 'vitest' {
  export interface ProvidedContext {
    upstreamPort: number
    closedPort: number
    jwksPort: number
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const upstream = await startUpstream()
  project.provide('upstreamPort', upstream.port)
  project.provide('closedPort', await findClosedPort())
  const jwks = await startJwksServer()
  project.provide('jwksPort', jwks.port)
  return async () => {
    await upstream.close()
    await jwks.close()
  }
}
