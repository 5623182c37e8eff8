/** Worker entry: one Hono app serves the admin plane (admin host only) and the data plane. */
import { Hono } from 'hono'
import type { GatewayEnv } from './env'

const app = new Hono<GatewayEnv>()

app.all('*', (c) => c.json({ message: 'Not Found' }, 404))

export default app
