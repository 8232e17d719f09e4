"""``newsarchive replica serve --kind wordpress``: serve the WordPress replica until Ctrl-C."""

from __future__ import annotations

import json
import time

import click

from replica.wordpress.server import WordPressServer
from replica.wordpress.site import WordPressSite


def serve_wordpress(host: str, port: int, posts: int, seed: int, ground_truth: str | None) -> None:
    started = time.perf_counter()
    site = WordPressSite(seed=seed, posts=posts)
    server = WordPressServer(site, host, port)
    click.echo(f"Built {posts} posts (seed {seed}) in {time.perf_counter() - started:.2f}s", err=True)
    if ground_truth:
        with open(ground_truth, "w", encoding="utf-8") as out:
            for record in site.ground_truth(server.base_url):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        click.echo(f"Wrote {posts} ground-truth records to {ground_truth}", err=True)
    click.echo(f"Serving the WordPress replica at {server.base_url}/ (Ctrl-C to stop)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
