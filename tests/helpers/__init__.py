"""Helpers the tests share: SQL one-liners, page fixtures and the sandbox sync rig."""
