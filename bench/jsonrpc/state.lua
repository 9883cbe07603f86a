-- wrk script: Provisioning.1.state over HTTP POST on keep-alive connections.
-- Usage: wrk -t1 -c1 -d20s --latency -s state.lua http://127.0.0.1:9998/jsonrpc
wrk.method = "POST"
wrk.body = '{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.state"}'
wrk.headers["Content-Type"] = "application/json"

local bad = 0

response = function(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

done = function(summary, latency, requests)
  io.write(string.format("non-200 answers: %d\n", bad))
end
