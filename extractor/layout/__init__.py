"""Grid to records: cut and join grids (split, stitch), find a form's regions, read money,
indicators, fields and budget tables into records.

It may import the root model and :mod:`extractor.normalise`; never a reader, the harvest, the
inspection pages or the CLI.
"""
