"""graphkit: sourced facts about militant organisations as a graph database.

The data flow is one direction: fact files and importers -> validated :class:`~graphkit.facts.Facts`
-> the store (Neo4j or the local default) and a networkx graph -> metrics, views and exports.
"""

__version__ = "0.1.0"
