"""The data contract: every table of data/processed declared once, its vocabularies and keys; imports nothing above it."""
