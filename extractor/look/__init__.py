"""What a person looks at: the inspection pages of one document (``extractor inspect``), the
page images with their cells drawn, and the static report of a harvest.

It may import the pipeline, the layout (to label rows), the export layer and the catalog it
reports on; nothing but the CLI and the harvest imports it.
"""
