"""Publishing data/processed the way researchers reuse it: Excel, Stata and Excel-friendly CSV exports, and versioned,
checksummed release archives with citation metadata. Reads what the build wrote; never writes into data/processed."""
