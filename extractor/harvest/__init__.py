"""Harvesting many files: the batch worker pool, the catalog (SQLite or PostgreSQL), the web
crawl and the Dask cluster.

It runs the pipeline (:func:`extractor.parse`) over files and keeps what it yields; it may import
the root model, the pipeline and the export layer, and :mod:`extractor.look` for the inspection
pages a run writes. Readers, layout and normalise never import it.
"""
