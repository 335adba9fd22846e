"""Running the pipeline: the declared stages, the per-notice worker, the cache, assembly, the store, the raw register, the lock."""
