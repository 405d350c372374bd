"""The rules engine: entities, the jurisdiction registry, the resolver of dated inherited values, lookups
for formulas, value horizons, the tax-benefit system and reform building. Imports nothing from the
caseload, analysis, serve or cli layers."""
