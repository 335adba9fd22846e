"""From tables to pages: notebook helpers (views, charts), parameters, papermill runs, notice pages, Quarto."""
