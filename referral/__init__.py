"""The web side: blueprints, forms, ranking, views. No Cypher here: it calls graph/ repositories."""
