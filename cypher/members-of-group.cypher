// name: members-of-group
// description: The people who were members or commanders of a group, with dates and role notes.
// param: group: str - id of the group
// example: graphkit query members-of-group --param group=iskp
MATCH (p:Person)-[r:MEMBER_OF]->(g:Group {id: $group})
RETURN p.id AS person, p.name AS name, r.since AS since, r.until AS until, r.note AS note
ORDER BY since, person
