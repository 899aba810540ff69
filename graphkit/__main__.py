"""``python -m graphkit`` runs the CLI."""

from graphkit.cli import main

main()
