"""Feed routes, their HTTP answers, the subscribe pages, links and forms."""
