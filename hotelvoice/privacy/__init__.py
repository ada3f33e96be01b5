"""GDPR in the core: keyed hashes, sealed values, retention, access and erasure."""
