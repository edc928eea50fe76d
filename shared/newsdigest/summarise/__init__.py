"""Extractive summaries built on sumy."""

from __future__ import annotations

from newsdigest.summarise.summariser import summarise

__all__ = ["summarise"]
