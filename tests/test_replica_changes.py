"""The replica changes between crawls like a live site (replica/changes.py), and its pages and
ground truth follow every change."""

from __future__ import annotations

from typing import Any

from replica.changes import UPDATED
from replica.content import UPDATE_LABEL
from replica.pages import respond
from replica.site import ReplicaSite

BASE = "http://replica.test"


def truth(site: ReplicaSite) -> dict[str, dict[str, Any]]:
    return {t["url"]: t for t in site.ground_truth(BASE)}


def full_articles(site: ReplicaSite) -> list[int]:
    return [e.idx for e in site.articles() if not e.paywalled and e.kind == "current"]


def listed(site: ReplicaSite) -> set[int]:
    return {idx for items in site.listings.values() for idx in items}


def test_changes_move_pages_and_ground_truth_together() -> None:
    site = ReplicaSite(seed=8, articles=120)
    before = truth(site)
    edit, comment, remove = full_articles(site)[:3]
    etags = {i: respond(site, site.entries[i].path, "", BASE).etag for i in (edit, comment, remove)}
    site.edit_article(edit)
    ids = site.add_comments(comment, 4)
    site.remove_article(remove)
    added = site.add_articles(5)
    after = truth(site)

    url = {i: BASE + site.entries[i].path for i in (edit, comment, remove, *added)}
    lang = site.entries[edit].lang
    assert after[url[edit]]["title"] == f"{before[url[edit]]['title']} ({UPDATED[lang]})"
    assert after[url[edit]]["body"].startswith(before[url[edit]]["body"])
    assert after[url[edit]]["body"].split("\n\n")[-1].startswith(f"{UPDATE_LABEL[lang]}: ")
    assert after[url[edit]]["modified"] is not None
    comments = [c["comment_id"] for c in after[url[comment]]["comments"]]
    assert len(comments) == len(before[url[comment]]["comments"]) + 4
    assert set(comments) >= {str(i) for i in ids} and len(set(comments)) == len(comments)
    assert url[remove] not in after and url[remove] in site.removed_urls(BASE)
    assert url[remove] not in site.missing_urls(BASE)
    assert all(url[i] in after for i in added) and len(after) == len(before) - 1 + 5
    # Nothing else changed.
    untouched = set(before) - {url[edit], url[comment], url[remove]}
    assert all(before[u] == after[u] for u in untouched)

    # Pages: new validators where the page changed, a 404 for the takedown, new ones listed.
    for i in (edit, comment):
        response = respond(site, site.entries[i].path, "", BASE)
        assert response.status == 200 and response.etag != etags[i]
    assert respond(site, site.entries[remove].path, "", BASE).status == 404
    assert remove not in listed(site) and set(added) <= listed(site)
    newest = site.home[site.entries[added[-1]].lang][0]
    assert site.entries[newest].ts >= site.entries[added[0]].ts


def test_changes_are_deterministic_and_comment_ids_stay_unique() -> None:
    def changed() -> dict[str, dict[str, Any]]:
        site = ReplicaSite(seed=2, articles=90)
        first = full_articles(site)[0]
        site.add_comments(first, 3)
        site.add_articles(3)
        site.add_comments(first, 2)
        site.edit_article(first)
        site.edit_article(first)
        return truth(site)

    one, two = changed(), changed()
    assert one == two
    ids = [c["comment_id"] for t in one.values() for c in t["comments"]]
    assert len(ids) == len(set(ids))


def test_only_live_articles_can_change() -> None:
    site = ReplicaSite(seed=8, articles=120)
    gone = full_articles(site)[0]
    site.remove_article(gone)
    for change in (site.edit_article, site.remove_article, lambda i: site.add_comments(i, 1)):
        try:
            change(gone)
        except ValueError as exc:
            assert "does not answer 200" in str(exc)
        else:
            raise AssertionError("a removed article was changed")
