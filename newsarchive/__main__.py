"""`python -m newsarchive` runs the newsarchive CLI."""

from newsarchive.cli import main

main()
