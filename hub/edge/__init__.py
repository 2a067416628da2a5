"""What every HTTP exchange goes through, whatever the route: bodies, logs, headers, rate limits."""
