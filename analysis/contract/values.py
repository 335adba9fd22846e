"""Vocabularies of the contract: the stages, statuses, genres, quarantine reasons and graph names that columns may hold."""

from __future__ import annotations

STAGES = ("manifest", "ingest", "parse", "extract", "assemble", "indicators", "evaluate", "network")
"""The pipeline's stages, in order — one vocabulary for the tables (which stage writes a table), quarantine rows (which
stage refused a file) and the build (`notices build --until`). manifest: check the raw register (data/raw/manifest.csv)
against the files; ingest: decode and normalise one notice; parse: its outline, problems and metadata; extract: its
measures, documents, agencies, dates and figures; assemble: the corpus tables from the notices' rows (duplicates,
quarantine, manifest checks); indicators, evaluate, network: tables computed from the corpus tables."""

PER_NOTICE_STAGES = ("ingest", "parse", "extract")  # run once per notice, in a worker
QUARANTINE_STAGES = ("manifest", "ingest", "parse", "extract", "assemble")  # stages that can refuse a raw file

STATUS_VALUES = ("completed", "long_term", "in_progress", "unknown")
ADMIN_LEVELS = ("central", "province", "city", "county", "township", "enterprise")  # tiers of a body
GENRE_VALUES = ("party_inspection", "environmental_inspection", "audit", "other")
QUARANTINE_REASONS = (
    "empty", "binary", "undecodable", "bad_html", "no_text", "too_large", "not_a_notice",
    "duplicate", "missing_file", "unregistered_file", "hash_mismatch", "invalid_id", "duplicate_id",
    "internal_error", "unexpected_folder",
)
GRAPH_NAMES = ("agency_policy", "notice_policy", "agency_agency", "inspection",
               "agency_projection", "policy_projection_by_agency", "notice_projection", "policy_projection_by_notice")
