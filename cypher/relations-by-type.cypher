// name: relations-by-type
// description: Every relation of one type (ALLIED_WITH, FOUGHT, SPLINTER_OF ...), with dates and
//   confidence.
// param: type: str - a relation type, e.g. FOUGHT
// example: graphkit query relations-by-type --param type=FOUGHT
MATCH (a)-[r]->(b)
WHERE type(r) = $type
RETURN a.id AS source, b.id AS target, r.since AS since, r.until AS until, r.confidence AS confidence
ORDER BY source, target, since
