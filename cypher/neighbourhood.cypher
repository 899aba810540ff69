// name: neighbourhood
// description: Everything directly linked to an actor (or any entity): relation type, direction,
//   neighbour and when.
// param: id: entity - the entity (id, name or alias), e.g. iskp
// example: graphkit query neighbourhood --param id=iskp
MATCH (c {id: $id})-[r]-(m)
RETURN type(r) AS type,
       CASE WHEN startNode(r) = c THEN 'out' ELSE 'in' END AS direction,
       m.id AS neighbour, labels(m)[0] AS kind, r.since AS since, r.until AS until
ORDER BY type, neighbour, since
