"""Pure privacy code: linkage tokens, DP mechanisms, budget accounting. No HTTP, no database."""
