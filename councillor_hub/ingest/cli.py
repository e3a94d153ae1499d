"""Subcommands for the learning-log ingester."""

from __future__ import annotations

import argparse


def register_ingest_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``ingest`` and related commands to the ``councillor-hub`` parser."""
