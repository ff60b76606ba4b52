"""The PDF reader: one open document whose pages the lattice, word-position and OCR readers share."""
