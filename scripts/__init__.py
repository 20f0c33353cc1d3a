"""Development tools: running the whole stack, evaluation helpers."""
