// name: _template
// description: TEMPLATE for a new library query (copy it to cypher/<name>.cypher and edit).
//   Entities of one kind whose name or alias contains a text, case-insensitively. The header is
//   `//` lines: `name:` (equal to the file name without .cypher), `description:` (may continue on
//   indented `//` lines), one `param:` line per $parameter as `NAME: TYPE [= DEFAULT] - meaning`
//   (TYPE is str, int, float, bool or entity: an entity id that users may give by id, name or
//   alias in any case; no default means required; `= null` means optional),
//   and `example:` (a command line). The Cypher follows the header: labels, types and values
//   only through parameters, standard Neo4j 5 Cypher that also runs on the local server.
// param: kind: str - node kind: Group, Person, Place, Attack or Source
// param: text: str - part of a name or alias, e.g. khorasan
// param: limit: int = 25 - at most this many rows
// example: graphkit query _template --param kind=Group --param text=khorasan
MATCH (n)
WHERE $kind IN labels(n)
  AND (toLower(n.name) CONTAINS toLower($text)
       OR any(a IN coalesce(n.aliases, []) WHERE toLower(a) CONTAINS toLower($text)))
RETURN n.id AS id, n.name AS name, n.aliases AS aliases
ORDER BY id
LIMIT $limit
