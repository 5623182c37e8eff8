-- wrk script for bench/run.mjs POST targets: the same JSON body the probe sent (BENCH_POST_BODY),
-- then the shared `done` hook of report.lua.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BENCH_POST_BODY")
dofile("bench/report.lua")
