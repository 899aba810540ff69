// name: people-who-moved
// description: People who were members of more than one group, with their groups in the order
//   they joined them.
// example: graphkit query people-who-moved
MATCH (p:Person)-[r:MEMBER_OF]->(g:Group)
WITH p, g, r ORDER BY r.since
WITH p, collect(g.id) AS groups, count(DISTINCT g) AS n
WHERE n > 1
RETURN p.id AS person, p.name AS name, groups
ORDER BY person
