// name: affiliates-of-group
// description: The branches, provinces and affiliates of a group, and since when.
// param: group: entity - the parent group (id, name or alias), e.g. islamic-state
// example: graphkit query affiliates-of-group --param group=islamic-state
MATCH (a:Group)-[r:AFFILIATE_OF]->(:Group {id: $group})
RETURN a.id AS affiliate, a.name AS name, r.since AS since, r.until AS until
ORDER BY since, affiliate
