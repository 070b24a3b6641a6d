"""The commands, a module per group; ``invfut_cli.app.load_commands`` imports (registers) them.

Importing this package imports none of them, so a run pays only for its own command.
"""
