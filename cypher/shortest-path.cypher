// name: shortest-path
// description: A shortest chain of relations (any type, either direction, at most 8 hops) between
//   two entities: who connects them.
// param: from_id: entity - the first entity (id, name or alias)
// param: to_id: entity - the second entity (id, name or alias)
// example: graphkit query shortest-path --param from_id=al-qaeda --param to_id=hafiz-khan-saeed
MATCH p = shortestPath((a {id: $from_id})-[*..8]-(b {id: $to_id}))
RETURN [n IN nodes(p) | n.id] AS path, [r IN relationships(p) | type(r)] AS types, length(p) AS hops
