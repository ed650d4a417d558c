"""Everything that talks to Neo4j: connection, schema, repositories, local server, metrics.

Nothing here imports Flask: the web layer calls these functions with plain values.
"""
