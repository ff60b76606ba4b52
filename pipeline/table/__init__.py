"""The printed table as the checks read it: rows with one exact Decimal per measure (``rows``), made
from the fact frames by one function (``from_facts.document_facts``), cut into unit sections with
their amounts (``sections``), and its own arithmetic (``identities``: totals, parents and the parts
of a row, compared by ``sums``). The normaliser verifies a table it has just read through the same
model and the same identities before it loads it."""
