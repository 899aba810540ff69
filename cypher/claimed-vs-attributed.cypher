// name: claimed-vs-attributed
// description: Attacks with who claimed responsibility (CLAIMED) and to whom the sources attribute
//   them (CARRIED_OUT), side by side: a claim is not proof of the act. Optionally only the
//   attacks one actor claimed or is attributed with.
// param: group: entity = null - a group or person, by id, name or alias (default: every attack claimed or attributed)
// example: graphkit query claimed-vs-attributed --param group=iskp
MATCH (x)-[r:CLAIMED|CARRIED_OUT]->(a:Attack)
WITH a, x, type(r) AS how
ORDER BY x.id
WITH a,
     [e IN collect({id: x.id, how: how}) WHERE e.how = 'CLAIMED' | e.id] AS claimed_by,
     [e IN collect({id: x.id, how: how}) WHERE e.how = 'CARRIED_OUT' | e.id] AS attributed_to
WHERE $group IS NULL OR $group IN claimed_by OR $group IN attributed_to
RETURN a.id AS attack, a.name AS name, a.date AS date, claimed_by, attributed_to,
       CASE WHEN size(attributed_to) = 0 THEN 'claimed only'
            WHEN size(claimed_by) = 0 THEN 'attributed only'
            ELSE 'claimed and attributed' END AS status
ORDER BY attack
