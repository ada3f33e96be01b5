"""PMS contract-test harness: the vendors' own API descriptions served by Prism (see README.md)."""
