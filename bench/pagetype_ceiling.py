"""How far can any page-level classifier go on wcxb-dev? A learned ceiling for issue 15's targets.

    .venv/bin/python bench/pagetype_direct.py --only wcxb-dev --cache /tmp/pt.json
    /tmp/mlvenv/bin/python bench/pagetype_ceiling.py --cache /tmp/pt.json --sets ../shared/datasets

(the second with an interpreter that has scikit-learn and lxml, e.g. ``python3 -m venv /tmp/mlvenv &&
/tmp/mlvenv/bin/pip install scikit-learn lxml``: the project does not depend on it).

Issue 15 asks for article recall >= 0.98 with precision >= 0.95. This fits classifiers on one half of
wcxb-dev by domain and scores them on the other, with everything the page-type check sees (its
reasons, score and veto) plus what it does not use: words of the title, the address and the text
(TF-IDF), the page's class and id names, counts of links, forms and inputs. For each model and
direction it prints recall and precision at even odds, precision at recall >= 0.98 with the threshold
taken from the training half (5-fold cross-validation), and the best precision at recall >= 0.98 that
any threshold reaches on the test half (an oracle: the ceiling of that model).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:
    import numpy as np
    from lxml import html as lxml_html
    from scipy.sparse import csr_matrix, hstack
    from sklearn.decomposition import TruncatedSVD
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict
except ImportError as missing:
    sys.exit(f"pagetype_ceiling: needs scikit-learn and lxml ({missing}); run it with an interpreter that has them")

RECALL = 0.98
Rows = list[dict[str, Any]]


def _reason_words(row: dict[str, Any]) -> str:
    """The page-type check's reasons without their numbers: one token each."""
    words = [re.sub(r"[^a-z]+", "_", re.sub(r"^[+-][\d.]+ ", "", r).lower()).strip("_") for r in row["reasons"]]
    if row["veto"]:
        words.append("veto_" + re.sub(r"\W+", "_", row["veto"]))
    return " ".join("r_" + w for w in words)


def _documents(rows: Rows, html_dir: Path) -> tuple[list[str], list[str], list[str], Any]:
    struct, text, names, counts = [], [], [], []
    for row in rows:
        with gzip.open(html_dir / f"{row['id']}.html.gz") as page:
            tree = lxml_html.fromstring(page.read())
        title = " ".join(tree.xpath("//title//text()"))[:300]
        address = re.sub(r"[/_.?=&-]+", " ", row["url"].split("/", 3)[-1])
        struct.append(_reason_words(row))
        text.append(f"{title} {address} {' '.join(tree.xpath('//body//text()'))[:5000]}")
        names.append(" ".join(tree.xpath("//@class"))[:20000] + " " + " ".join(tree.xpath("//@id"))[:5000])
        links, forms, inputs = (len(tree.xpath(f"//{tag}")) for tag in ("a", "form", "input"))
        counts.append([row["score"], np.log1p(row["words"]), np.log1p(links), forms, np.log1p(inputs)])
    return struct, text, names, np.array(counts)


def _features(docs: tuple[list[str], list[str], list[str], Any], train: Any) -> Callable[[Any], Any]:
    struct, text, names, counts = docs
    vectorizers = [
        (struct, TfidfVectorizer(token_pattern=r"\S+", binary=True, use_idf=False, norm=None)),
        (text, TfidfVectorizer(min_df=3, max_features=20000, sublinear_tf=True)),
        (names, TfidfVectorizer(min_df=3, token_pattern=r"[A-Za-z]{2,}", max_features=20000, sublinear_tf=True)),
    ]
    for docs_of, vectorizer in vectorizers:
        vectorizer.fit([docs_of[i] for i in train])
    mean, std = counts[train].mean(0), counts[train].std(0) + 1e-9

    def transform(index: Any) -> Any:
        parts = [v.transform([d[i] for i in index]) for d, v in vectorizers]
        return hstack([*parts, csr_matrix((counts[index] - mean) / std)]).tocsr()

    return transform


def _at(scores: Any, truth: Any, threshold: float) -> tuple[float, float]:
    kept = scores >= threshold
    hits = int((kept & truth).sum())
    return hits / max(int(truth.sum()), 1), hits / max(int(kept.sum()), 1)


def _threshold_for_recall(scores: Any, truth: Any) -> float:
    ordered = sorted(scores[truth])
    return float(ordered[int((1 - RECALL) * len(ordered))])


def _models() -> dict[str, Callable[[], Any]]:
    return {
        "logistic": lambda: LogisticRegression(C=3, max_iter=3000),
        "boosted trees (SVD 100)": lambda: HistGradientBoostingClassifier(
            max_iter=300, learning_rate=0.05, random_state=0
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, required=True, help="bench/pagetype_direct.py --cache output")
    parser.add_argument("--sets", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "datasets")
    args = parser.parse_args()
    rows: Rows = json.loads(args.cache.read_text())["wcxb-dev"]
    docs = _documents(rows, args.sets / "wcxb-dev" / "html")
    truth = np.array([r["type"] == "article" for r in rows])
    half = np.array([r["half"] for r in rows])
    ours = np.array([(r["final"] or 0.0) for r in rows])
    for name in ("A", "B"):
        mine, labels = ours[half == name], truth[half == name]
        rec, prec = _at(mine, labels, 0.5)
        best = _at(mine, labels, _threshold_for_recall(mine, labels))
        print(
            f"our page-type check, half {name}: at 0.5 recall {rec:.3f} precision {prec:.3f};"
            f" best precision at recall {RECALL}: {best[1]:.3f} (recall {best[0]:.3f})"
        )
    for fit_half, test_half in (("A", "B"), ("B", "A")):
        train, test = np.where(half == fit_half)[0], np.where(half == test_half)[0]
        transform = _features(docs, train)
        x_train, x_test = transform(train), transform(test)
        for label, make in _models().items():
            if label.startswith("boosted"):
                svd = TruncatedSVD(100, random_state=0).fit(x_train)
                x_fit, x_score = svd.transform(x_train), svd.transform(x_test)
            else:
                x_fit, x_score = x_train, x_test
            held = cross_val_predict(make(), x_fit, truth[train], cv=5, method="predict_proba")[:, 1]
            scores = make().fit(x_fit, truth[train]).predict_proba(x_score)[:, 1]
            even = _at(scores, truth[test], 0.5)
            chosen = _at(scores, truth[test], _threshold_for_recall(held, truth[train]))
            oracle = _at(scores, truth[test], _threshold_for_recall(scores, truth[test]))
            print(
                f"{label:<24} fit {fit_half} -> test {test_half}: at 0.5 recall {even[0]:.3f} precision {even[1]:.3f};"
                f" threshold for recall {RECALL} from {fit_half}: recall {chosen[0]:.3f} precision {chosen[1]:.3f};"
                f" best precision at recall {RECALL} on {test_half}: {oracle[1]:.3f}"
            )


if __name__ == "__main__":
    main()
