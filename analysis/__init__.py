"""Network analysis: pure computations on networks read out of Neo4j by graph/ (no Cypher, no Flask)."""
