"""Everything that talks to Neo4j: connection, schema, repositories, the search index, the timeline reader and
the local server (network analysis is in analysis/).

Nothing here imports Flask: the web layer calls these functions with plain values.
"""
