// name: relations-by-confidence
// description: Relations stated with a given confidence (confirmed, reported, alleged, uncertain),
//   optionally only those citing one source.
// param: confidence: str = confirmed - a step of the confidence scale
// param: source: entity = null - a Source to restrict to, by id or name (default: any)
// example: graphkit query relations-by-confidence --param confidence=alleged
MATCH (a)-[r]->(b)
WHERE r.confidence = $confidence AND ($source IS NULL OR $source IN r.sources)
RETURN type(r) AS type, a.id AS source, b.id AS target, r.since AS since, r.sources AS sources
ORDER BY type, source, target, since
