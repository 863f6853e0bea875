"""One module per source: its snapshot reader (``read``), its live source if it has one
(``live``), and its provenance (``INFO``). ``ingest/registry.py`` lists them, once, in
build order; the snapshot build and the live build both read that list.

A reader gets the snapshot directory, the records parsed so far (some sources need
earlier ones: roll calls need area names, protocols need RFC titles) and an
``on_error`` callback that counts and skips bad records. Readers only wire
``ingest/fetch`` to the pure parsers; they hold no parsing logic.
"""
