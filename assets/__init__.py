"""The thin Dagster layer over :mod:`pipeline`: assets, checks, partitions, resources."""
