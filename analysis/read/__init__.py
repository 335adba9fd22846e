"""Reading one notice's text: decoding and page chrome (ingest stage); outline, problems, measures and metadata (parse stage)."""
