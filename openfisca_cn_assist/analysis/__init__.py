"""Analysis over caseloads: microsimulation, impact, validation against published figures, charts,
coverage, partitions and Dask."""
