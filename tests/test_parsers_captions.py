"""Captions: one per image, credits split off with their link, URLs absolute."""

from __future__ import annotations

import json

import pytest

from scrapers.parsers import Caption, parse_article
from scrapers.sites import load_profile

TURAN_URL = "https://turan.az/en/politics/x-779784"


def turan_captions(inner: str) -> list[Caption]:
    html = f'<html><body><div class="article"><h1 class="captxt">T</h1>{inner}</div></body></html>'
    return parse_article(html, TURAN_URL, load_profile("turan")).captions


def test_lead_image_caption_once_with_credit_and_link() -> None:
    captions = turan_captions(
        '<div class="mainimg"><img src="/resized/media/2024/main/1-750-500-resize.webp" alt="Peacekeepers leave.">'
        '<div class="imgcap">Peacekeepers leave. (Photo: <a href="https://eurasianet.org/">Eurasianet</a>)</div></div>'
        '<div class="maincontent"><p>Text.</p></div>'
    )
    assert captions == [
        Caption(
            image_url="https://turan.az/resized/media/2024/main/1-750-500-resize.webp",
            text="Peacekeepers leave.",
            credit="Eurasianet",
            credit_url="https://eurasianet.org/",
        )
    ]


def test_lead_then_inline_figures_in_page_order_without_credit() -> None:
    captions = turan_captions(
        '<div class="mainimg"><img src="/a.webp" alt="A"><div class="imgcap">Lead</div></div>'
        '<div class="maincontent"><p>x</p><figure class="inimg"><img src="https://turan.az/b.webp" alt="B">'
        "<figcaption>Inline (Foto: <a href='https://apa.az/'>APA</a>)</figcaption></figure></div>"
    )
    assert [(c.image_url, c.text, c.credit, c.credit_url) for c in captions] == [
        ("https://turan.az/a.webp", "Lead", None, None),
        ("https://turan.az/b.webp", "Inline", "APA", "https://apa.az/"),
    ]


@pytest.mark.parametrize(
    ("caption", "text", "credit"),
    [
        ("Ships in the port (Photo: Reuters)", "Ships in the port", "Reuters"),
        ("Ships in the port. Photo: Reuters", "Ships in the port.", "Reuters"),
        ("Корабли в порту. Фото: ТАСС", "Корабли в порту.", "ТАСС"),
        ("Schiffe im Hafen | Foto: dpa", "Schiffe im Hafen", "dpa"),
        ("Ships in the port. Photo by Jane Doe", "Ships in the port.", "Jane Doe"),
        ("Ships in the port © AFP", "Ships in the port", "AFP"),
        ("Ships in the port (Şəkil: APA)", "Ships in the port", "APA"),
        ("Ships in the port", "Ships in the port", None),
        # issue 16, blind3: agency-style attributions without a label, and labels of other kinds
        ("Ships in the port. REUTERS/Jan Vos", "Ships in the port.", "REUTERS/Jan Vos"),
        ("Ships in the port. (AP Photo/Jan Vos, File)", "Ships in the port.", "AP Photo/Jan Vos, File"),
        ("The mayor and/or his deputy. a/b testing", "The mayor and/or his deputy. a/b testing", None),
        ("Where the silt goes. Map: Harbour Letter", "Where the silt goes.", "Harbour Letter"),
        ("Nowe nabrzeże. Fot. Jan Kowalski", "Nowe nabrzeże.", "Jan Kowalski"),
        ("Der Kai.<br>Foto: © Stadt Kiel / Bo Quante", "Der Kai.", "Stadt Kiel / Bo Quante"),
        ("<span>Ships.</span><span>Kai Försterling (EFE)</span>", "Ships.", "Kai Försterling (EFE)"),
        ("<span>The port.</span> <span>seen from the north quay</span>", "The port. seen from the north quay", None),
        ("<span>Image caption, </span>Ships in the port", "Ships in the port", None),
        ("<em>Left to right,</em> Ann and Bo", "Left to right, Ann and Bo", None),
        # issue 16, blind5c: an agency alone in parentheses is a credit; a place, a year or a note is not
        ("Una gru sul Molo VII (Ansa)", "Una gru sul Molo VII", "Ansa"),
        ("عمال في الميناء (أسوشيتد برس)", "عمال في الميناء", "أسوشيتد برس"),
        ("横浜港＝6日、横浜市（共同）", "横浜港＝6日、横浜市", "共同"),
        ("Ships in the port (EPA-EFE)", "Ships in the port", "EPA-EFE"),
        ("A crane at the terminal (Hamburg)", "A crane at the terminal (Hamburg)", None),
        ("The lighthouse (2019)", "The lighthouse (2019)", None),
        ("Jens Olsen (left) with the mayor (file photo)", "Jens Olsen (left) with the mayor (file photo)", None),
        ("İzmir Limanı (Fotoğraf: AA)", "İzmir Limanı", "AA"),
        ("Ships. <span>- Copyright AP Photo/Jan Vos</span>", "Ships.", "AP Photo/Jan Vos"),
        ("Ships. <span class='credito'>MIGUEL A. LOPES/LUSA</span>", "Ships.", "MIGUEL A. LOPES/LUSA"),
        ("Ferries on Monday. <span class='ml-1 text-xs'>Karen Ducey</span>", "Ferries on Monday.", "Karen Ducey"),
        (
            "Ferries on Monday. <span>seen from the north quay</span>",
            "Ferries on Monday. seen from the north quay",
            None,
        ),
        ("Ferries on <span>Monday</span>", "Ferries on Monday", None),
        # blind5cb: a label after the name, labels of other scripts, a credit on the caption's last line
        ("Klaipėdos uostas / Vardenis Pavardenis / BNS nuotr.", "Klaipėdos uostas", "Vardenis Pavardenis / BNS"),
        ("אוניית מכולות נכנסת לנמל. צילום: רמי שלוש", "אוניית מכולות נכנסת לנמל.", "רמי שלוש"),
        ("Cảng Lạch Huyện, Hải Phòng. Ảnh: <em>Giang Chinh</em>", "Cảng Lạch Huyện, Hải Phòng.", "Giang Chinh"),
        ("Zagrebačka obala u Rijeci<br>Neva Žganec/PIXSELL", "Zagrebačka obala u Rijeci", "Neva Žganec/PIXSELL"),
        ("GORAN KOVAČIĆ/PIXSELL", "", "GORAN KOVAČIĆ/PIXSELL"),
        ("Vorher/Nachher", "Vorher/Nachher", None),
        ("Billy B Beauty<br>Lash/Brow Groomer", "Billy B Beauty Lash/Brow Groomer", None),
        ("The old quay.<br>Ann Lee/The Harbour Times", "The old quay.", "Ann Lee/The Harbour Times"),
        ("Ships at dawn. Jane Doe via Getty Images", "Ships at dawn.", "Jane Doe via Getty Images"),
        ("Ships at dawn. Jane Doe via Facebook", "Ships at dawn. Jane Doe via Facebook", None),
        ("Ships. <span class='credit'>Supplied: Port of Newcastle</span>", "Ships.", "Supplied: Port of Newcastle"),
        ("Ships. <span class='image__author'>KOMPAS.com/Jan Vos</span>", "Ships.", "KOMPAS.com/Jan Vos"),
    ],
)
def test_trailing_credit_forms(caption: str, text: str, credit: str | None) -> None:
    html = f"""<html><body><article><p>{"Prose. " * 40}</p>
    <figure><img src="/p.jpg"><figcaption>{caption}</figcaption></figure></article></body></html>"""
    (found,) = parse_article(html, "https://x.example/a").captions
    assert (found.text, found.credit) == (text, credit)


def test_wordpress_caption() -> None:
    html = f"""<html><body><div class="entry-content"><p>{"Prose. " * 40}</p>
    <div class="wp-caption"><img src="/wp-content/uploads/a.jpg"><p class="wp-caption-text">A ferry.
    Photo: <a href="https://port.example/">Port</a></p></div></div></body></html>"""
    assert parse_article(html, "https://blog.example/a").captions == [
        Caption("https://blog.example/wp-content/uploads/a.jpg", "A ferry.", "Port", "https://port.example/")
    ]


def test_credit_in_its_own_element() -> None:
    html = f"""<html><body><article><p>{"Prose. " * 40}</p><figure><img src="/b.jpg">
    <figcaption>Cars on the bridge. <span class="credit">Foto: dpa</span></figcaption></figure>
    </article></body></html>"""
    assert parse_article(html, "https://x.example/a").captions == [
        Caption("https://x.example/b.jpg", "Cars on the bridge.", "dpa", None)
    ]


def test_lazy_and_protocol_relative_images() -> None:
    html = f"""<html><body><article><p>{"Prose. " * 40}</p>
    <figure><img src="data:image/gif;base64,R0lGOD" data-src="//cdn.example/c.jpg">
    <figcaption>Lazy</figcaption></figure>
    </article></body></html>"""
    assert parse_article(html, "https://x.example/a").captions[0].image_url == "https://cdn.example/c.jpg"


def test_figures_outside_the_article_are_not_its_captions() -> None:
    html = f"""<html><body><article><p>{"Prose. " * 40}</p></article>
    <aside class="related"><figure><img src="/t.jpg"><figcaption>Teaser</figcaption></figure></aside></body></html>"""
    assert parse_article(html, "https://x.example/a").captions == []


def test_same_caption_twice_is_kept_once() -> None:
    figure = '<figure><img src="/d.jpg"><figcaption>Same</figcaption></figure>'
    html = f"<html><body><article><p>{'Prose. ' * 40}</p>{figure}{figure}</article></body></html>"
    assert len(parse_article(html, "https://x.example/a").captions) == 1


def test_image_without_caption_is_not_a_caption() -> None:
    figure = '<figure><img src="/e.jpg" alt="x"></figure>'
    html = f"<html><body><article><p>{'Prose. ' * 40}</p>{figure}</article></body></html>"
    assert parse_article(html, "https://x.example/a").captions == []


def test_jsonld_image_caption_when_the_page_shows_none() -> None:
    data = {"@type": "NewsArticle", "image": {"@type": "ImageObject", "url": "/f.jpg", "caption": "Delegates"}}
    html = f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head><body></body></html>'
    assert parse_article(html, "https://x.example/a").captions == [Caption("https://x.example/f.jpg", "Delegates")]


def test_jsonld_image_author_is_its_credit() -> None:
    """IPTC's creator as schema.org writes it: an ``ImageObject``'s ``author`` (a Person) is its credit."""
    image = {
        "@type": "ImageObject",
        "url": "/f.jpg",
        "caption": "Delegates",
        "author": {"@type": "Person", "name": "Ann Lee"},
    }
    data = {"@type": "NewsArticle", "image": [image]}
    html = f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head><body></body></html>'
    assert parse_article(html, "https://x.example/a").captions == [
        Caption("https://x.example/f.jpg", "Delegates", "Ann Lee")
    ]


def test_srcset_address_with_commas_is_whole() -> None:
    """An image CDN's address may hold commas (``/fetch/w_1456,c_limit/…``): a ``srcset`` candidate
    runs to the first white space, not to the first comma."""
    url = "https://cdn.example/fetch/w_1456,c_limit,f_auto/pic.jpeg"
    html = f"""<html><body><article><p>{"Prose. " * 40}</p><figure><picture>
    <source srcset="{url} 1456w, https://cdn.example/fetch/w_424,c_limit/pic.jpeg 424w"><img alt="">
    </picture><figcaption>The pier</figcaption></figure></article></body></html>"""
    (found,) = parse_article(html, "https://x.example/a").captions
    assert found.image_url == url


def test_gallery_of_figures_gives_each_its_own_caption() -> None:
    figures = "".join(
        f'<figure class="wp-block-image"><img src="/g{i}.jpg">{f"<figcaption>Day {i}</figcaption>" * (i != 2)}</figure>'
        for i in (1, 2, 3)
    )
    html = f"""<html><body><article><p>{"Prose. " * 40}</p><figure class="wp-block-gallery">{figures}
    <figcaption class="blocks-gallery-caption">The week in pictures</figcaption></figure></article></body></html>"""
    captions = parse_article(html, "https://x.example/a").captions
    assert [(c.image_url, c.text) for c in captions] == [
        ("https://x.example/g1.jpg", "Day 1"),
        ("https://x.example/g3.jpg", "Day 3"),
    ]


def _article(inner: str) -> list[Caption]:
    prose = "<p>" + "The council voted to extend the harbour after a long debate. " * 5 + "</p>"
    return parse_article(
        f"<html><body><article>{prose}{inner}{prose}</article></body></html>", "https://x.example/a"
    ).captions


def test_custom_picture_element_is_a_picture() -> None:
    """A custom element whose tag ends in "image" or "img" (Forbes's ``<progressive-image>``) holds the picture."""
    found = _article(
        '<figure><div><progressive-image src="https://cdn.example/p.jpg"></progressive-image></div>'
        "<figcaption><p>Ships at the pier.</p><small>getty</small></figcaption></figure>"
    )
    assert found == [Caption("https://cdn.example/p.jpg", "Ships at the pier.", "getty")]


def test_slideshow_counter_is_no_caption_text() -> None:
    found = _article(
        '<figure><img src="/s1.jpg"><figcaption><span class="n">Bild 2 von 12</span> The quay.</figcaption></figure>'
    )
    assert found == [Caption("https://x.example/s1.jpg", "The quay.")]


def test_caption_named_attribution_beside_a_credit_figcaption() -> None:
    """CNN: the caption's element is also named "attribution"; the figcaption holds only the credit."""
    found = _article(
        '<div class="image"><div class="image__container"><img src="/c.jpg"></div><div class="image__metadata">'
        '<div class="image__caption attribution"><span>Cranes at the terminal.</span></div>'
        '<figcaption class="image__credit">Jane Roe/AP</figcaption></div></div>'
    )
    assert found == [Caption("https://x.example/c.jpg", "Cranes at the terminal.", "Jane Roe/AP")]


def test_background_image_hero_takes_the_caption_line_after_it() -> None:
    found = _article(
        '<div class="hero" style="background-image: url(\'/hero.jpg\')"></div>'
        '<div class="hero__caption">The port at dawn. <span class="credit">Photo by Ann Lee</span></div>'
    )
    assert found == [Caption("https://x.example/hero.jpg", "The port at dawn.", "Ann Lee")]


def test_decorative_background_gives_no_caption() -> None:
    """A background with something else after it (a title block) is decoration: nothing is searched further."""
    found = _article(
        '<div class="wrap"><div class="bg" style="background-image:url(/bg.jpg)"></div>'
        '<div class="content"><div class="title-item-caption-bottom"><h1>Our work</h1></div></div></div>'
    )
    assert found == []


def test_video_poster_with_play_button_gives_no_caption() -> None:
    found = _article(
        '<figure class="ArticleVideo"><div class="video-player"><img src="/poster.jpg"><button>Play</button></div>'
        "<figcaption>Watch: how a container crosses the sea</figcaption></figure>"
    )
    assert found == []


def test_short_line_before_a_credit_line_is_the_caption() -> None:
    found = _article('<p><img src="/i.jpg"></p><p><em>The new quay</em></p><p><em>Fotoğraf: İHA</em></p>')
    assert found == [Caption("https://x.example/i.jpg", "The new quay", "İHA")]


def test_microdata_author_of_the_picture_not_of_the_article() -> None:
    """``itemprop="author"`` inside an ``ImageObject`` is the picture's credit; the article's is its byline."""
    html = f"""<html><body><article itemscope itemtype="https://schema.org/NewsArticle">
    <p>By <span itemprop="author">Ann Writer</span></p><p>{"Prose. " * 40}</p>
    <figure itemscope itemtype="https://schema.org/ImageObject"><img itemprop="contentUrl" src="/m.jpg">
    <figcaption><span itemprop="caption">The quay</span> <span itemprop="author">Bo Snap</span></figcaption>
    </figure></article></body></html>"""
    assert parse_article(html, "https://x.example/a").captions == [
        Caption("https://x.example/m.jpg", "The quay", "Bo Snap")
    ]


def test_lightbox_credit_attribute_beside_its_caption() -> None:
    """A lightbox link's ``data-credit`` is shown with its ``data-caption``: the caption's credit."""
    html = f"""<html><body><article><p>{"Prose. " * 40}</p>
    <p><a href="/big.jpg" data-caption="Seals on the rocks." data-credit="Foto: Kai Moe"><img src="/s.jpg"></a></p>
    <p>{"More prose. " * 30}</p></article></body></html>"""
    assert parse_article(html, "https://x.example/a").captions == [
        Caption("https://x.example/s.jpg", "Seals on the rocks.", "Kai Moe")
    ]

# Lines that no name marks as captions (issue 16, blind5): structure and typography say so, on a dated page.
_DATED = '<html><head><meta property="article:published_time" content="2024-05-06T10:00:00Z"></head><body><article>'
_UNDATED = "<html><body><article>"
_PARAGRAPH = "<p>" + "The council approved the harbour extension on Monday after a long debate. " * 3 + "</p>"


def _generic(inner: str, head: str = _DATED) -> list[tuple[str, str, str | None]]:
    html = f"{head}<h1>Harbour extension approved</h1>{_PARAGRAPH}{inner}{_PARAGRAPH}</article></body></html>"
    found = parse_article(html, "https://news.example/a").captions
    return [(c.image_url, c.text, c.credit) for c in found]


def test_a_box_of_a_photo_and_one_line_gives_the_line_above_or_below_it() -> None:
    below = '<div class="haber-resim"><img src="/img/a.jpg"><p class="x">The first ship at the new quay.</p></div>'
    above = '<div class="foto"><div>The lock seen from the outer harbour.</div><img src="/img/b.jpg"></div>'
    assert _generic(below) == [("https://news.example/img/a.jpg", "The first ship at the new quay.", None)]
    assert _generic(above) == [("https://news.example/img/b.jpg", "The lock seen from the outer harbour.", None)]


def test_no_unnamed_caption_for_an_icon_a_label_an_undated_page_or_text_around_a_picture() -> None:
    box = '<div class="feature"><img src="/img/a.jpg"><p>Track leads and manage every email.</p></div>'
    assert _generic(box, _UNDATED) == []  # a landing page's feature box
    assert _generic(box) == [("https://news.example/img/a.jpg", "Track leads and manage every email.", None)]
    assert _generic('<div><img src="/img/icon.png" width="40"><p>Sign up for the weekly letter.</p></div>') == []
    assert _generic('<div><img src="/img/ad.jpg"><span>Anzeige</span></div>') == []
    assert _generic('<div>Great news <img src="/img/smile.jpg"> for the port and its staff.</div>') == []


def test_a_line_set_in_italics_after_a_picture_is_its_caption_unless_it_opens_what_follows() -> None:
    line = '<p><img src="/img/a.jpg"></p><p><em>The new quay at dawn.</em></p>'
    assert _generic(line) == [("https://news.example/img/a.jpg", "The new quay at dawn.", None)]
    assert _generic('<p><img src="/img/a.jpg"></p><p><em>You can also find me here:</em></p>') == []


def test_a_carousels_cloned_slides_give_no_caption_before_the_slides() -> None:
    slide = '<div class="slick-slide{}"><figure><img src="/img/{}.jpg"><figcaption>Slide {}.</figcaption></figure>'
    slide += "</div>"
    inner = slide.format(" slick-cloned", 3, "three") + slide.format("", 1, "one") + slide.format("", 3, "three")
    assert [text for _, text, _ in _generic(inner)] == ["Slide one.", "Slide three."]


def test_of_a_srcset_the_largest_picture_and_of_a_picture_its_untyped_source() -> None:
    picture = (
        '<figure><picture><source type="image/webp" srcset="/a-640.webp 640w, /a-1400.webp 1400w">'
        '<source srcset="/a-640.jpg 640w, /a-1400.jpg 1400w"><img alt=""></picture>'
        "<figcaption>The old pier.</figcaption></figure>"
    )
    assert _generic(picture) == [("https://news.example/a-1400.jpg", "The old pier.", None)]


def test_a_credit_that_the_captions_attribute_states_is_split_off() -> None:
    figure = (
        '<figure><img src="/img/a.jpg"><figcaption data-c-credit="Port Authority">'
        "<span>The port director speaks.</span> <span>Port Authority</span></figcaption></figure>"
    )
    assert _generic(figure) == [("https://news.example/img/a.jpg", "The port director speaks.", "Port Authority")]
