-- One numerology body for every request: after the first, each one is a result-cache hit (key
-- check, rate limit and usage row or event still included). The key comes from NOESIS_KEY.
wrk.method = "POST"
wrk.path = "/api/v1/engines/numerology/calculate"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("NOESIS_KEY")
wrk.body = '{"birth_data": {"name": "Asha Rao", "date": "1991-08-13"}}'
dofile("bench/wrk/report.lua")
