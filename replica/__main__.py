"""`python -m replica serve ...`."""

from replica.cli import replica

if __name__ == "__main__":
    replica(prog_name="python -m replica")
