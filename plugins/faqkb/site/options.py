"""The groups of the plugin's options in mkdocs.yml (`contact:`, `analytics:`), each checked as MkDocs reads it."""

from __future__ import annotations

from .analytics import endpoint_problem
from .engine import ValidationError, base, options


class ContactConfig(base.Config):
    chat_url = options.Type(str, default="")
    phone = options.Type(str, default="")
    email = options.Type(str, default="")
    hours = options.Type(str, default="")


class _Endpoint(options.Type):
    def run_validation(self, value):
        value = super().run_validation(value).strip()
        problem = endpoint_problem(value)
        if problem:
            raise ValidationError(problem)
        return value


class AnalyticsConfig(base.Config):
    endpoint = _Endpoint(str, default="")
    """Where the pages send their events (site/analytics.py); empty: no analytics, no requests."""
