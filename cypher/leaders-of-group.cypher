// name: leaders-of-group
// description: Who led a group, and when, in order of the start of their leadership.
// param: group: entity - the group (id, name or alias)
// example: graphkit query leaders-of-group --param group=iskp
MATCH (g:Group {id: $group})-[r:LED_BY]->(p:Person)
RETURN p.id AS person, p.name AS name, r.since AS since, r.until AS until, r.confidence AS confidence
ORDER BY since, person
