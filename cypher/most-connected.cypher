// name: most-connected
// description: The actors (groups and people) with the most relations, counting every relation
//   once whatever its direction.
// param: limit: int = 10 - how many actors
// example: graphkit query most-connected --param limit=5
MATCH (n)
WHERE n:Group OR n:Person
OPTIONAL MATCH (n)-[r]-()
RETURN n.id AS id, labels(n)[0] AS kind, count(r) AS relations
ORDER BY relations DESC, id
LIMIT $limit
