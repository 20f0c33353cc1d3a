"""Support desk service: the retailer's systems of record behind one HTTP API."""
