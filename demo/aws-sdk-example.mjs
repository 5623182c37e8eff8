// Manages Portico with the official AWS SDK (SigV4, admin key pair from .dev.vars): lists the
// REST APIs and the demo API's stages. Run while `npm start` is up: `node demo/aws-sdk-example.mjs`.
// Node does not resolve `*.localhost`, so the client connects to 127.0.0.1 and a small middleware
// sets the `Host` the request is signed for (with a resolvable admin host name, `endpoint` alone
// is enough).
import { readFileSync } from 'node:fs'
import { APIGatewayClient, GetRestApisCommand, GetStagesCommand } from '@aws-sdk/client-api-gateway'
import { parseEnvFile } from '../scripts/lib/dev-vars.mjs'

const port = Number(process.env.PORTICO_PORT ?? 8787)
const vars = parseEnvFile(readFileSync(new URL('../.dev.vars', import.meta.url), 'utf8'))

const client = new APIGatewayClient({
  region: 'us-east-1',
  endpoint: `http://127.0.0.1:${port}`,
  credentials: {
    accessKeyId: vars.ADMIN_ACCESS_KEY_ID,
    secretAccessKey: vars.ADMIN_SECRET_ACCESS_KEY,
  },
})
client.middlewareStack.add(
  (next) => (args) => {
    args.request.headers.host = `admin.localhost:${port}`
    return next(args)
  },
  { step: 'build', name: 'porticoAdminHost' }
)

const { items = [] } = await client.send(new GetRestApisCommand({}))
for (const api of items) {
  const { item: stages = [] } = await client.send(new GetStagesCommand({ restApiId: api.id }))
  console.log(`${api.id}  ${api.name}  stages: ${stages.map((s) => s.stageName).join(', ') || '-'}`)
}
