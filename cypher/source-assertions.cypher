// name: source-assertions
// description: What a given source asserts: every relation citing it, with its verbatim quotes.
// param: source: entity - the Source (id or name)
// example: graphkit query source-assertions --param source=gvs-iskp-revival
MATCH (a)-[r]->(b)
WHERE $source IN r.sources
RETURN type(r) AS type, a.id AS source, b.id AS target, r.since AS since, r.until AS until,
       r.confidence AS confidence, r.evidence AS evidence
ORDER BY type, source, target, since
