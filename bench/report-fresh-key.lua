-- wrk script for bench/run.mjs's "cached route: miss" row: every request asks for a cache key no
-- request used before, `?k=<run nonce>-<thread>-<n>` (the route's cacheKeyParameters are
-- `method.request.querystring.k`), so each one is a lookup miss, an upstream call and a cache
-- write. The nonce is the script argument after the URL (a fresh one per wrk run: warm-up and
-- measured runs never share keys). Plus report.lua's `done` hook (run.mjs runs wrk from the repo).
dofile('bench/report.lua')

local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set('tid', threads)
end

local prefix = ''
local n = 0
init = function(args)
  prefix = (args[1] or 'k') .. '-' .. tostring(tid or 0) .. '-'
end

request = function()
  n = n + 1
  return wrk.format(nil, wrk.path .. '?k=' .. prefix .. n)
end
