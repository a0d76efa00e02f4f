-- wrk script for bench/run.py: wrk's report, plus the slowest request in microseconds.
done = function(summary, latency, requests)
   io.write(string.format("slowest_us %d\n", latency.max))
end
