"""The printed table as the checks read it: rows with one exact Decimal per measure (``rows``), made
from the fact frames by one function (``from_facts.document_facts``), and cut into unit sections with
their amounts (``sections``). The normaliser verifies a table it has just read through the same model."""
