"""Every read of ingest, and nothing else: the bundled snapshot files (``local``), the polite
HTTP client (``http_client``) and its on-disk cache (``http_cache``), the mirror of the last
Datatracker sync (``mirror``) and the paginated endpoint reads the live sources share
(``endpoints``). The source readers (``ingest/sources/``) wire these to the pure parsers.
"""
