"""Analysis over caseloads: microsimulation, impact, validation against published figures, charts,
coverage, partitions and Dask."""

# Here, not in partitions.py, so that the CLI's parser can show it without importing pandas.
DEFAULT_PARTITION_SIZE = 100_000  # households: about 0.3 GB per process for a year of every output
