"""`python -m archive` runs the newsarchive CLI."""

from archive.cli import main

main()
