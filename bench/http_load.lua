-- wrk script of bench/http_load.py: a token, a path (or a new client and date to write for) per request, and
-- the answers counted by status: only 2xx count. The names in double braces are filled in per run.
local tokens = {{{ tokens }}}
local paths = {{{ paths }}}
local write_clients = {{{ clients }}}
local offset, threads_total, today = {{ offset }}, {{ threads }}, {{ today }}
local threads = {}
ok, bad, sent, id = 0, 0, 0, 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function request()
  sent = sent + 1
  local n = offset + (sent - 1) * threads_total + id
  local headers = {}
  if #tokens > 0 then headers["Authorization"] = "Bearer " .. tokens[(n % #tokens) + 1] end
  if #write_clients > 0 then
    local client = write_clients[(n % #write_clients) + 1]
    local date = os.date("!%Y-%m-%d", today - (math.floor(n / #write_clients) + 1) * 86400)
    headers["Content-Type"] = "application/json"
    local body = string.format('{"client_id": %d, "date": "%s", "weight_kg": %.1f, "notes": "bench"}',
                               client, date, 60 + (n % 300) / 10)
    return wrk.format("POST", "/api/progress", headers, body)
  end
  return wrk.format("GET", paths[(n % #paths) + 1], headers)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local good, wrong, issued = 0, 0, 0
  for _, thread in ipairs(threads) do
    good = good + thread:get("ok")
    wrong = wrong + thread:get("bad")
    issued = issued + thread:get("sent")
  end
  io.write(string.format("RESULT %d %d %d %d %d %d %d\n", good, wrong, issued, summary.duration,
                         latency:percentile(50), latency:percentile(99), summary.errors.connect + summary.errors.read
                         + summary.errors.write + summary.errors.timeout))
end
