// name: find-entity
// description: Which entity goes by this id, name or alias (case-insensitive, exact): ISIS-K, iskp and
//   Islamic State Khorasan Province all find the same group.
// param: name: str - an id, name or alias (any case)
// example: graphkit query find-entity --param name=ISIS-K
MATCH (n)
WHERE toLower(n.id) = toLower(trim($name))
   OR toLower(n.name) = toLower(trim($name))
   OR any(a IN coalesce(n.aliases, []) WHERE toLower(a) = toLower(trim($name)))
RETURN n.id AS id, labels(n)[0] AS kind, n.name AS name
ORDER BY id
