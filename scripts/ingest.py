"""Fetch the learning log's feeds (the same as ``councillor-hub ingest``; takes the same options).

Usage: .venv/bin/python scripts/ingest.py [--registry PATH] [--allow-host HOST ...] [--timeout S]
"""

import sys

from councillor_hub.cli import main

sys.exit(main(["ingest", *sys.argv[1:]]))
