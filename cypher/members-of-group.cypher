// name: members-of-group
// description: The people who were members or commanders of a group, with dates and role notes.
// param: group: entity - the group (id, name or alias)
// example: graphkit query members-of-group --param group=iskp
MATCH (p:Person)-[r:MEMBER_OF]->(g:Group {id: $group})
RETURN p.id AS person, p.name AS name, r.since AS since, r.until AS until, r.note AS note
ORDER BY since, person
