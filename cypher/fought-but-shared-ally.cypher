// name: fought-but-shared-ally
// description: Pairs of groups that fought each other while both were allied with the same third
//   actor (at any time: compare the dates in the neighbourhood query).
// example: graphkit query fought-but-shared-ally
MATCH (x:Group)-[:FOUGHT]-(y:Group)
MATCH (x)-[:ALLIED_WITH]-(ally)-[:ALLIED_WITH]-(y)
WHERE x.id < y.id
RETURN DISTINCT x.id AS group_a, y.id AS group_b, ally.id AS ally
ORDER BY group_a, group_b, ally
