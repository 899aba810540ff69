// name: relations-in-year
// description: The relations that held in a given year: begun in or before it (or undated start)
//   and not ended before it.
// param: year: str - a year, e.g. 2016
// param: type: str = null - only relations of this type (default: all)
// example: graphkit query relations-in-year --param year=2016 --param type=MEMBER_OF
MATCH (a)-[r]->(b)
WHERE ($type IS NULL OR type(r) = $type)
  AND (r.since IS NULL OR substring(r.since, 0, 4) <= $year)
  AND (r.until IS NULL OR substring(r.until, 0, 4) >= $year)
RETURN type(r) AS type, a.id AS source, b.id AS target, r.since AS since, r.until AS until
ORDER BY type, source, target, since
