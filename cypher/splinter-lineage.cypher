// name: splinter-lineage
// description: The splinter lineage of a group: the groups it split from (parents, grandparents ...)
//   and the groups that split from it, with the number of generations between them.
// param: group: entity - the group (id, name or alias)
// example: graphkit query splinter-lineage --param group=iskp
MATCH p = (g:Group {id: $group})-[:SPLINTER_OF*1..10]->(o:Group)
RETURN 'parent' AS direction, o.id AS group, o.name AS name, length(p) AS generations
UNION
MATCH p = (g:Group {id: $group})<-[:SPLINTER_OF*1..10]-(o:Group)
RETURN 'offshoot' AS direction, o.id AS group, o.name AS name, length(p) AS generations
