import { Miniflare, convertV4MiniflareOptions } from 'miniflare'
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { createServer } from 'node:http'
const up = createServer((q, s) => { q.resume(); s.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 }); s.end('{"ok":true}') })
await new Promise(r => up.listen(18795, '127.0.0.1', r))
const cpu = (pid) => readdirSync(`/proc/${pid}/task`).reduce((t, tid) => t + Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]), 0)
const script = `
const U = 'http://127.0.0.1:18795/hello'
export default { async fetch(req) {
  const v = new URL(req.url).pathname
  if (v === '/a') return fetch(U)
  const h = new Headers(); for (const [k, x] of req.headers) h.append(k, x)
  h.set('x-forwarded-for', '127.0.0.1'); h.set('x-forwarded-proto', 'http'); h.set('x-forwarded-host', 'x.localhost')
  if (v === '/b') return fetch(U, { headers: h, redirect: 'manual' })
  const ac = new AbortController(); const t = setTimeout(() => ac.abort(), 29000)
  let r
  try { r = await fetch(U, { headers: h, redirect: 'manual', signal: ac.signal }) } finally { clearTimeout(t) }
  if (v === '/c') return r
  const r2 = new Response(r.body, { status: r.status, statusText: r.statusText, headers: new Headers(r.headers) })
  const r3 = new Response(r2.body, r2); r3.headers.set('x-amzn-RequestId', crypto.randomUUID())
  return r3
} }`
const mf = new Miniflare(convertV4MiniflareOptions({ host: '127.0.0.1', port: 18796, logRequests: false, cf: false, modules: true, compatibilityDate: '2026-08-01', script }))
await mf.ready
const w = readdirSync('/proc').filter(e => /^\d+$/.test(e)).find(e => { try { const s = readFileSync(`/proc/${e}/stat`, 'utf8'); return s.includes('(workerd)') && Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]) === process.pid } catch { return false } })
for (const round of [1, 2]) for (const v of ['a', 'b', 'c', 'd']) {
  execFileSync('taskset', ['-c', '1', 'wrk', '-t1', '-c8', '-d1s', `http://127.0.0.1:18796/${v}`])
  const b = cpu(w)
  const out = execFileSync('taskset', ['-c', '1', 'wrk', '-t1', '-c8', '-d4s', `http://127.0.0.1:18796/${v}`], { encoding: 'utf8' })
  const n = Number(/(\d+) requests in/.exec(out)[1])
  console.log(round, v, /Requests\/sec:\s*(\S+)/.exec(out)[1], 'rps', ((cpu(w) - b) / 1000 / n).toFixed(0), 'µs/req')
}
await mf.dispose(); up.close()
