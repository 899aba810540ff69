// name: attacks-by-group
// description: Attacks the sources attribute to a group (CARRIED_OUT; a claim of responsibility
//   alone is CLAIMED: see claimed-vs-attributed), counted by place and year, with the deaths
//   stated (attacks without a stated toll count as 0 deaths).
// param: group: entity - the group or person (id, name or alias)
// example: graphkit query attacks-by-group --param group=iskp
MATCH (g {id: $group})-[:CARRIED_OUT]->(a:Attack)
OPTIONAL MATCH (a)-[:OCCURRED_IN]->(p:Place)
RETURN coalesce(p.id, 'unknown') AS place, substring(a.date, 0, 4) AS year,
       count(DISTINCT a) AS attacks, sum(coalesce(a.killed, 0)) AS killed
ORDER BY year, place
