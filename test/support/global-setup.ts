/** Starts the loopback upstream for the worker test project and hands its port to the tests. */
import type { TestProject } from 'vitest/node'
import { findClosedPort, startUpstream } from './upstream-server'

declare module 'vitest' {
  export interface ProvidedContext {
    upstreamPort: number
    closedPort: number
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const upstream = await startUpstream()
  project.provide('upstreamPort', upstream.port)
  project.provide('closedPort', await findClosedPort())
  return () => upstream.close()
}
