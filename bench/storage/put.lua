-- wrk: Put Blob of 1 KiB, a new blob name for every request. Needs SAS in the environment.
local counter = 0
local sas = os.getenv("SAS")
local body = string.rep("x", 1024)
wrk.headers["x-ms-blob-type"] = "BlockBlob"
wrk.headers["Content-Type"] = "application/octet-stream"
request = function()
  counter = counter + 1
  return wrk.format("PUT", wrk.path .. "/put-" .. tostring(math.random(1, 1e9)) .. "-" .. counter .. "?" .. sas, nil, body)
end
