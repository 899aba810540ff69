// name: groups-active-in-place
// description: Groups active in a place (a province, say) or in any place inside it (up to five
//   levels of LOCATED_IN), with where exactly and when.
// param: place: entity - the place (id, name or alias), e.g. nangarhar
// example: graphkit query groups-active-in-place --param place=nangarhar
MATCH (:Place {id: $place})<-[:LOCATED_IN*0..5]-(q:Place)<-[r:ACTIVE_IN]-(g:Group)
RETURN DISTINCT g.id AS group, g.name AS name, q.id AS place, r.since AS since, r.until AS until
ORDER BY group, place, since
