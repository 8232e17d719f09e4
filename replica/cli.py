"""`replica` command group: serve the offline turan.az replica (registered as `newsarchive replica`)."""

from __future__ import annotations

import time

import click

from replica.model import WEIGHTS
from replica.server import ReplicaServer
from replica.site import ReplicaSite


@click.group(name="replica")
def replica() -> None:
    """The offline turan.az replica: a generated, deterministic site for demos, tests and benchmarks."""


@replica.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to bind (0: any free port).")
@click.option("--articles", default=300, show_default=True, type=click.IntRange(min=1),
              help="Number of article pages (legacy and 404 ones included).")
@click.option("--seed", default=1, show_default=True, type=int, help="Same seed, same site.")
@click.option("--ground-truth", "ground_truth", type=click.Path(dir_okay=False, writable=True),
              help="Write the ground truth (JSON lines, URLs on the served base URL) before serving.")
@click.option("--kind", type=click.Choice(["turan", "wordpress"]), default="turan", show_default=True,
              help="turan.az, or a WordPress-style news site (replica/wordpress; --articles posts).")
@click.option("--weight", type=click.Choice(WEIGHTS), default="light", show_default=True,
              help="light: ~16 KB pages; real: ~86 KB, the weight of a real news page (turan only).")
@click.option("--cdn-port", type=int, default=None,
              help="Serve a quarter of the photos from a second server (a \"CDN\") on this port (0: any).")
@click.option("--photo-faults", is_flag=True, help="Break a few photos on purpose (404, HTML, truncated, bomb...).")
def serve(
    host: str, port: int, articles: int, seed: int, ground_truth: str | None, kind: str = "turan",
    weight: str = "light", cdn_port: int | None = None, photo_faults: bool = False,
) -> None:
    """Serve the replica until Ctrl-C.

    \b
    Example:
      newsarchive replica serve --port 8000 --articles 20000 --ground-truth data/truth.jsonl
      curl http://127.0.0.1:8000/en/politics?page=2
    """
    if kind == "wordpress":
        from replica.wordpress.cli import serve_wordpress

        serve_wordpress(host, port, articles, seed, ground_truth)
        return
    started = time.perf_counter()
    site = ReplicaSite(seed=seed, articles=articles, weight=weight, photo_faults=photo_faults)
    server = ReplicaServer(site, host, port)
    cdn = ReplicaServer(site, host, cdn_port, images_only=True).start() if cdn_port is not None else None
    if cdn is not None:
        site.cdn_base = cdn.base_url
        click.echo(f"Serving its CDN at {cdn.base_url}/", err=True)
    click.echo(f"Built {articles} articles (seed {seed}) in {time.perf_counter() - started:.2f}s", err=True)
    if ground_truth:
        count = site.write_ground_truth(ground_truth, server.base_url)
        click.echo(f"Wrote {count} ground-truth records to {ground_truth}", err=True)
    click.echo(f"Serving the turan.az replica at {server.base_url}/ (Ctrl-C to stop)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        if cdn is not None:
            cdn.close()
