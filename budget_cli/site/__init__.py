"""`budget-etl report --html DIR`: the warehouse as a static site that works offline.

``build.write_site(con, out_dir)`` writes an index of the documents, a page per document (its tables and
facts, findings beside their rows), charts (inline SVG from Vega-Lite specs through vl-convert) and
the warehouse's tables and columns; it returns the path of index.html.
"""
