"""The Pinduoduo open platform: signing, typed errors, the HTTP client and record parsing.

Beside ``data`` in the layers: no Qt, no database; services turn its records into rows.
"""
