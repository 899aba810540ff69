// name: allies-of-enemies
// description: The allies of a group's enemies: for each actor the group fought, who that actor
//   was allied with (the group itself left out).
// param: group: entity - the group (id, name or alias)
// example: graphkit query allies-of-enemies --param group=afghan-taliban
MATCH (g {id: $group})-[:FOUGHT]-(enemy)-[:ALLIED_WITH]-(ally)
WHERE ally <> g
RETURN DISTINCT enemy.id AS enemy, ally.id AS ally, ally.name AS ally_name
ORDER BY enemy, ally
