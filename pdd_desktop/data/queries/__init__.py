"""Read models: SQL that returns plain tuples and numbers for services to shape."""
