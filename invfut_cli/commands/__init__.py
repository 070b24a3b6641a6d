"""The commands, one module (or package) each: ``invfut_cli.commands.NAME``. The list of them,
and what each provides, is :mod:`invfut_cli.registry`."""
