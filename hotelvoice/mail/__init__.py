"""Guests' e-mail: booking confirmations written from per-language catalogs, sent through SES."""
