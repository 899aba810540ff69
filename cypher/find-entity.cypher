// name: find-entity
// description: Which entity goes by this name or alias (case-insensitive, exact): ISIS-K, ISKP and
//   Islamic State Khorasan Province all find the same group.
// param: name: str - a name or alias
// example: graphkit query find-entity --param name=ISIS-K
MATCH (n)
WHERE toLower(n.name) = toLower($name)
   OR any(a IN coalesce(n.aliases, []) WHERE toLower(a) = toLower($name))
RETURN n.id AS id, labels(n)[0] AS kind, n.name AS name
ORDER BY id
