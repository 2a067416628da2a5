"""Rate limits per client and per source address on the token endpoint and the write routes."""
