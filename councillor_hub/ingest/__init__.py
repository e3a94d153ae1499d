"""Feed ingest: fetch facilitators' blog feeds safely and store entries as learning-log posts."""
