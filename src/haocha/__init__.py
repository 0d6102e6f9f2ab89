"""Haocha (好差评): service-quality ratings for community life services."""

__version__ = "0.1.0"
