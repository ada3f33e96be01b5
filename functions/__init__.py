"""The Lambda functions: one folder per concern, each a thin handler over the shared core."""
