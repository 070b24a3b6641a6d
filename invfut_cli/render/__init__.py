"""Renderers: each writes one output document to a stream.

``json`` is light and always available; ``table`` imports rich only when it is called.
"""
