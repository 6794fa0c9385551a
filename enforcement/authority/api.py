"""API of this area: (prefix, viewset, basename) triples registered by safetyportal/api/urls.py."""

ROUTES: list = []
