-- A new birth minute on every request (and per thread), so no answer is ever served from a cache:
-- BENCH_TARGET=human-design posts the chart, BENCH_TARGET=full-spectrum the workflow (all nine
-- engines and the synthesis). The key comes from NOESIS_KEY.
local key = os.getenv("NOESIS_KEY")
local target = os.getenv("BENCH_TARGET") or "human-design"
local counter = 0
local thread_seed = 0

function setup(thread)
  thread_seed = thread_seed + 1
  thread:set("seed", thread_seed)
end

function request()
  counter = counter + 1
  local n = counter * 8 + seed
  local minutes = n % 1440
  local day = 1 + math.floor(n / 1440) % 28
  local month = 1 + math.floor(n / 40320) % 12
  local year = 1950 + math.floor(n / 483840) % 60
  local birth = string.format('"date": "%04d-%02d-%02d", "time": "%02d:%02d", "timezone": "Asia/Kolkata"',
    year, month, day, math.floor(minutes / 60), minutes % 60)
  local path, body
  if target == "full-spectrum" then
    path = "/api/v1/workflows/full-spectrum/execute"
    body = '{"birth_data": {' .. birth .. ', "name": "Asha Rao", "latitude": 12.97, "longitude": 77.59}, '
      .. '"location": {"latitude": 12.97, "longitude": 77.59, "timezone": "Asia/Kolkata"}}'
  else
    path = "/api/v1/engines/human-design/calculate"
    body = '{"birth_data": {' .. birth .. '}}'
  end
  return wrk.format("POST", path,
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
end

dofile("bench/wrk/report.lua")
