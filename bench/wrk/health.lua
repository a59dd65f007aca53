-- GET /health: the cheapest route, no key, no cache, no origin.
wrk.path = "/health"
dofile("bench/wrk/report.lua")
