"""One repository per aggregate, each a small class taking the driver; all Cypher lives here."""
