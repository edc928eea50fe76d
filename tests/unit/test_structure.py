"""Article.html, Article.markdown and Article.image: the text's blocks with their structure."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import html5lib
import pytest
from markdown_it import MarkdownIt
from newsdigest.cli import main
from newsdigest.extract import extract_article
from newsdigest.extract.clean import image_source, largest_candidate, resolve_url
from newsdigest.extract.markdown import destination, escape_text, to_markdown
from newsdigest.models import Article

from tests.conftest import ROOT

STRUCTURE = ROOT / "tests" / "fixtures" / "structure"
EXTRACTION = ROOT / "tests" / "fixtures" / "extraction"
TASS = ROOT / "events" / "pages" / "tass-grain-harvest.html"
LWN_URL = "https://lwn.net/Articles/637755/"

_BLOCKS = frozenset(
    ["p", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
     "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "div", "section", "body"]
)  # fmt: skip
_WS = re.compile(r"\s+")


def _page(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()


def _parse(html: str):  # type: ignore[no-untyped-def]
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def text_blocks(html: str) -> list[str]:
    """The text of ``html`` split where a block starts or ends, as the extractor's writer splits it;
    figures (pictures and their captions, which the text leaves out) are skipped."""
    blocks: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = _WS.sub(" ", "".join(run)).strip()
        run.clear()
        if text:
            blocks.append(text)

    def walk(el) -> None:  # type: ignore[no-untyped-def]
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "figure":
            return
        block = tag in _BLOCKS
        if block:
            flush()
        run.append("\n" if tag == "br" else el.text or "")
        for child in el:
            walk(child)
            run.append(child.tail or "")
        if block:
            flush()

    walk(_parse(html).find("body"))
    flush()
    return blocks


def paragraphs(article: Article) -> list[str]:
    return [_WS.sub(" ", p).strip() for p in article.text.split("\n\n") if p.strip()]


def captions(html: str) -> set[str]:
    return {_WS.sub(" ", "".join(c.itertext())).strip() for c in _parse(html).iter("figcaption")}


def rendered(markdown: str) -> str:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def _pages() -> list[tuple[str, bytes, str | None]]:
    cases = json.loads((EXTRACTION / "cases.json").read_text(encoding="utf-8"))
    pages = [(p.name, _page(p), cases.get(p.name[: -len(".html.gz")], {}).get("url")) for p in
             sorted((EXTRACTION / "pages").glob("*.html.gz"))]  # fmt: skip
    pages += [(p.name, _page(p), LWN_URL) for p in sorted(STRUCTURE.glob("*.html.gz"))]
    pages.append((TASS.name, TASS.read_bytes(), "https://tass.com/economy/1"))
    return pages


PAGES = _pages()


@pytest.mark.parametrize(("name", "html", "url"), PAGES, ids=[p[0] for p in PAGES])
def test_html_and_markdown_agree_with_the_text_block_for_block(
    name: str, html: bytes, url: str | None
) -> None:
    article = extract_article(html, url)
    assert text_blocks(article.html) == paragraphs(article)
    from_markdown = [b for b in text_blocks(rendered(article.markdown)) if b not in captions(article.html)]
    assert from_markdown == paragraphs(article)


def test_tass_markdown_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--format", "markdown", str(TASS)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Russia raises grain harvest forecast to 135 mln tonnes after mild spring\n\n")
    assert "\n## Exports\n\n" in out
    assert "\n- Sowing of spring wheat is 38% complete, against 31% a year earlier.\n" in out
    assert "MOSCOW, May 11. /TASS/. Russia's Agriculture Ministry" in out  # no stray escapes


@pytest.mark.parametrize("fmt", ["text", "html", "json"])
def test_other_formats_on_the_command_line(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--format", fmt, str(TASS)]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        document = json.loads(out)
        assert document["html"].startswith("<p>") and document["markdown"].endswith("\n")
    elif fmt == "html":
        assert out.startswith("<h1>Russia raises") and "<h2>Exports</h2>" in out and "<ul><li>" in out
    else:
        assert out.startswith("Russia raises") and "<" not in out


def test_pictures_stay_in_reading_order_with_absolute_addresses() -> None:
    article = extract_article(_page(STRUCTURE / "lwn-1.html.gz"), LWN_URL)
    srcs = re.findall(r'<img[^>]*\ssrc="([^"]+)"', article.html)
    assert srcs[:4] == [
        "https://lwn.net/images/2015/03-qgis-map-sm.png",
        "https://lwn.net/images/2015/03-qgis-query-sm.png",
        "https://lwn.net/images/2015/03-qgis-simplify-sm.png",
        "https://lwn.net/images/2015/03-qgis-style-sm.png",
    ]
    # Each picture sits between the paragraphs it stood between on the page.
    before_map = article.html.index("03-qgis-map-sm.png")
    assert article.html.rfind("</p>", 0, before_map) > 0
    assert (
        "![[QGIS main interface]](https://lwn.net/images/2015/03-qgis-map-sm.png)"
        in article.markdown.replace("\\[", "[").replace("\\]", "]")
    )
    assert all(src.startswith("https://") for src in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", article.markdown))


def test_figures_keep_their_captions() -> None:
    article = extract_article(_page(STRUCTURE / "dropbox-blog.html.gz"),
                              "https://dropbox.tech/infrastructure/asynchronous-task-scheduling-at-dropbox")  # fmt: skip  # noqa: E501
    figures = re.findall(r"<figure>.*?</figure>", article.html, re.S)
    # The page has two diagrams; only the first has a <figcaption> in its source.
    assert len(figures) == 2 and all("<img" in f for f in figures)
    caption = re.search(r"<figcaption>(.*?)</figcaption>", figures[0], re.S)
    assert caption is not None and " ".join(caption.group(1).split()) == "Async Task Framework (ATF) [Fig 1]"
    assert "<figcaption>" not in figures[1]
    assert (
        "https://dropbox.tech/cms/content/dam/dropbox/tech-blog/en-us/2020/11/atf/diagrams/" in article.html
    )


def test_a_picture_that_is_all_of_a_link_keeps_the_link_and_the_text_stays_as_without_structure() -> None:
    story = (
        "<p>The harbour authority said on Tuesday that the new quay would open in the spring, two years "
        "later than planned, after a dispute over the dredging contract.</p>"
    )
    html = (
        f"<html><body><article><h1>Quay</h1>{story}"
        '<a href="/photos/quay-full.jpg"><img src="/photos/quay-640.jpg" alt="The quay"></a>'
        f"{story.replace('Tuesday', 'Monday')}"
        '<p>Officials spoke <a href="/big.png"><img src="/small.png" alt="a chart"></a> to residents at a '
        "public meeting on the cost of the works and the delay.</p></article></body></html>"
    )
    url = "https://news.example/2024/quay"
    article = extract_article(html, url)
    assert article.text == extract_article(html, url, structure=False).text
    assert (
        '<a href="https://news.example/photos/quay-full.jpg" rel="noopener noreferrer">'
        '<img alt="The quay" src="https://news.example/photos/quay-640.jpg"></a>' in article.html
    )
    assert '<a href="https://news.example/big.png" rel="noopener noreferrer"><img' in article.html
    assert (
        "[![The quay](https://news.example/photos/quay-640.jpg)](https://news.example/photos/quay-full.jpg)"
        in article.markdown
    )
    assert text_blocks(article.html) == paragraphs(article)


def test_a_caption_box_made_a_figure_keeps_the_links_of_its_caption() -> None:
    story = (
        "<p>The harbour authority said on Tuesday that the new quay would open in the spring, two years "
        "later than planned, after a dispute over the dredging contract.</p>"
    )
    caption = (
        '<div class="thumb"><a href="/files/quay.jpg"><img src="/photos/quay-640.jpg" alt="The quay"></a>'
        '<div class="thumbcaption"><div class="magnify"><a href="/files/quay.jpg" title="Enlarge"></a></div>'
        'The new <a href="/wiki/Quay">quay</a> at low tide. REUTERS/Jane Doe</div></div>'
    )
    later = story.replace("Tuesday", "Monday")
    html = f"<html><body><article><h1>Quay</h1>{story}{caption}{later}</article></body></html>"
    article = extract_article(html, "https://news.example/2024/quay")
    figure = re.search(r"<figure>.*?</figure>", article.html, re.S)
    assert figure is not None
    assert re.search(
        r'<figcaption>\s*The new <a href="https://news.example/wiki/Quay" rel="noopener noreferrer">quay</a> '
        r"at low tide\. REUTERS/Jane Doe\s*</figcaption>",
        figure.group(),
    )
    assert "<img" not in figure.group().split("<figcaption>")[1]  # the enlargement link's icon went
    assert "quay at low tide" not in article.text  # a caption is not the text's
    assert text_blocks(article.html) == paragraphs(article)


def test_lazy_loading_pictures_resolve_to_the_real_image() -> None:
    url = "https://medium.com/voodoo-engineering/node-js-and-cpu-profiling-on-production-in-real-time-without-downtime-d6e62af173e2"
    article = extract_article(_page(STRUCTURE / "lazy-image-1.html.gz"), url)
    srcs = re.findall(r'<img[^>]*\ssrc="([^"]+)"', article.html)
    assert "https://miro.medium.com/max/3788/1*5o3M5niyi911waUrKWVZ0Q.png" in srcs  # the <noscript> copy
    assert not any("q=20" in s for s in srcs)  # not the blurred previews
    assert len(srcs) == len(set(srcs))
    assert article.image and article.image.startswith("https://miro.medium.com/")


def test_lead_image_from_og_image_then_json_ld_then_first_figure() -> None:
    body = "<article><h1>T</h1>" + "<p>" + "Enough words to make this an article worth reading. " * 8 + "</p>"
    body += "<figure><img src='/pics/first.jpg' alt='First'><figcaption>A caption</figcaption></figure>"
    body += "<p>" + "More running text follows the picture, as articles go. " * 6 + "</p></article>"
    og = "<meta property='og:image' content='/pics/og.jpg'>"
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "image": {"@type": "ImageObject", "url": "https://cdn.example/ld.jpg"}}</script>'  # noqa: E501
    url = "https://news.example/2024/story"
    with_og = extract_article(f"<html><head>{og}{ld}</head><body>{body}</body></html>", url)
    assert with_og.image == "https://news.example/pics/og.jpg"
    with_ld = extract_article(f"<html><head>{ld}</head><body>{body}</body></html>", url)
    assert with_ld.image == "https://cdn.example/ld.jpg"
    plain = extract_article(f"<html><body>{body}</body></html>", url)
    assert plain.image == "https://news.example/pics/first.jpg"
    figure = re.search(r"<figure>.*?</figure>", plain.html)
    assert figure is not None
    assert 'src="https://news.example/pics/first.jpg"' in figure.group() and 'alt="First"' in figure.group()
    assert "<figcaption>A caption</figcaption>" in figure.group()
    assert "![First](https://news.example/pics/first.jpg)" in plain.markdown


def test_structure_of_lists_quotes_tables_code_and_inline_markup() -> None:
    para = "A paragraph of running text that is long enough to count as the article's own words."
    html = f"""<html><head><base href="https://static.example/base/"></head><body><article>
      <h1>Title</h1><p>{para} <strong>Bold</strong>, <em>stressed</em>,
      <a href="../next.html" class="x" onclick="evil()">a link</a>.</p>
      <h2>Steps</h2><ol start="3"><li>First step of the list, written out in full.<ul>
      <li>A nested point under it.</li></ul></li>
      <li>Second step of the list, written out in full.</li></ol>
      <blockquote><p>{para} Quoted.</p></blockquote>
      <table><tr><th>Year</th><th>Tonnes</th></tr>
      <tr><td>2023</td><td>142.6 million tonnes of grain</td></tr></table>
      <pre><code>for row in table:\n    print(row)</code></pre>
      <p>{para} The end.</p></article></body></html>"""
    article = extract_article(html, "https://news.example/a/b/story.html")
    out = article.html
    assert '<a href="https://static.example/next.html" rel="noopener noreferrer">a link</a>' in out
    assert "<strong>Bold</strong>" in out and "<em>stressed</em>" in out
    assert '<ol start="3"><li>First step of the list, written out in full.<ul><li>A nested point' in out
    assert "<blockquote><p>" in out
    assert "<table><tr><th>Year</th><th>Tonnes</th></tr><tr><td>2023</td>" in out.replace("<tbody>", "")
    assert "<pre><code>for row in table:\n    print(row)</code></pre>" in out
    assert "onclick" not in out and "class=" not in out
    md = article.markdown
    assert "**Bold**" in md and "*stressed*" in md and "[a link](https://static.example/next.html)" in md
    assert "3. First step" in md and "  - A nested point" in md.replace("    -", "  -")
    assert "> " in md and "| Year | Tonnes |" in md and "```\nfor row in table:\n    print(row)\n```" in md


def test_a_very_long_article_keeps_its_structure_up_to_the_bound_then_plain_paragraphs() -> None:
    from newsdigest.extract.structure import MAX_STRUCTURED_CHARS

    para = "Absatz {}: ein ganz normaler Absatz mit <b>fettem</b> Text und einem Punkt am Ende."
    count = MAX_STRUCTURED_CHARS // 60
    html = "<html><body><article>" + "".join(f"<p>{para.format(i)}</p>" for i in range(count)) + "</article>"
    article = extract_article(html + "</body></html>", "https://news.example/long")
    assert article.notes and article.notes[-1].startswith("structure:")
    assert "<p>Absatz 0: ein ganz normaler Absatz mit <strong>fettem</strong>" in article.html.replace(
        "<b>", "<strong>"
    ).replace("</b>", "</strong>")
    assert f"<p>Absatz {count - 1}: ein ganz normaler Absatz mit fettem Text" in article.html
    assert text_blocks(article.html) == paragraphs(article)
    assert text_blocks(rendered(article.markdown)) == paragraphs(article)


def test_an_article_of_many_inline_elements_keeps_its_structure_up_to_the_node_bound() -> None:
    from newsdigest.extract.structure import MAX_STRUCTURED_NODES

    words = " ".join(f"<b>Wort{j}</b>" for j in range(10))
    count = MAX_STRUCTURED_NODES // 15
    html = (
        "<html><body><article>" + "".join(f"<p>Satz {i}: {words}.</p>" for i in range(count)) + "</article>"
    )
    article = extract_article(html + "</body></html>", "https://news.example/dense")
    assert article.notes and article.notes[-1].startswith("structure:")
    assert "<p>Satz 0: <strong>Wort0</strong>" in article.html.replace("<b>", "<strong>").replace(
        "</b>", "</strong>"
    )
    assert f"<p>Satz {count - 1}: Wort0 Wort1" in article.html
    assert text_blocks(article.html) == paragraphs(article)


def test_text_only_extraction_leaves_the_structure_out() -> None:
    full = extract_article(TASS.read_bytes())
    text_only = extract_article(TASS.read_bytes(), structure=False)
    assert text_only.text == full.text and full.html and full.markdown
    assert (text_only.html, text_only.markdown, text_only.image) == ("", "", None)


@pytest.mark.parametrize(
    ("value", "base", "expected"),
    [
        ("/a/b.jpg", "https://x.example/p/q", "https://x.example/a/b.jpg"),
        ("c.jpg", "https://x.example/p/q", "https://x.example/p/c.jpg"),
        ("//cdn.example/i.png", "https://x.example/", "https://cdn.example/i.png"),
        ("JaVaScRiPt:alert(1)", "https://x.example/", None),
        ("  java\tscript:alert(1)", "https://x.example/", None),
        ("\x01javascript:alert(1)", "https://x.example/", None),
        ("vbscript:msgbox(1)", "https://x.example/", None),
        ("data:text/html,<script>alert(1)</script>", "https://x.example/", None),
        ("mailto:desk@news.example", "https://x.example/", "mailto:desk@news.example"),
        ("HTTPS://News.Example/Ä b", None, "https://news.example/%C3%84%20b"),
        ("/relative/without/base", None, "/relative/without/base"),
        ("http://news.example:Der Traum vom Gas/", None, None),
        ("https://go.example?id=1&url=x", None, "https://go.example/?id=1&url=x"),
        ("HTTPS://Spec.Example#intro", None, "https://spec.example/#intro"),
        ("https://spec.example", None, "https://spec.example/"),
    ],
)
def test_resolve_url(value: str, base: str | None, expected: str | None) -> None:
    assert resolve_url(value, base) == expected


def test_images_never_take_mailto_or_data_addresses() -> None:
    assert resolve_url("mailto:x@y", "https://x.example/", images=True) is None
    assert resolve_url("data:image/gif;base64,R0lGODlhAQABAAAAACw=", None, images=True) is None


def test_srcset_candidates_with_commas_in_their_urls() -> None:
    srcset = (
        "https://i.example/upload/c_fill,w_80/a.jpg 80w, https://i.example/upload/c_fill,w_800/a.jpg 800w,"
        "https://i.example/upload/c_fill,w_320/a.jpg 320w"
    )
    assert largest_candidate(srcset) == "https://i.example/upload/c_fill,w_800/a.jpg"
    assert largest_candidate("a.jpg, b.jpg 2x, c.jpg 1.5x") == "b.jpg"
    assert largest_candidate("") is None


def test_image_source_prefers_the_lazy_attribute_over_a_placeholder() -> None:
    assert image_source({"src": "data:image/gif;base64,R0lGOD", "data-src": "/real.jpg"}) == "/real.jpg"
    assert image_source({"src": "/img/blank.gif", "data-lazy-srcset": "/r1.jpg 1x, /r2.jpg 2x"}) == "/r2.jpg"
    assert image_source({"src": "/img/spacer.gif", "data-big": "/huge.webp"}) == "/huge.webp"
    assert image_source({"src": "/photo.jpg"}) == "/photo.jpg"
    assert image_source({"src": "data:image/png;base64,iVBOR"}) is None


def test_markdown_escapes_text_and_addresses() -> None:
    assert escape_text("<img src=x onerror=alert(1)> *not* _em_ [x](y)", line_start=False) == (
        "\\<img src=x onerror=alert(1)\\> \\*not\\* \\_em\\_ \\[x\\](y)"
    )
    assert escape_text("1999. A year", line_start=True) == "1999\\. A year"
    assert escape_text("# not a heading", line_start=True) == "\\# not a heading"
    assert escape_text("May 11. /TASS/.", line_start=False) == "May 11. /TASS/."
    assert destination("https://x.example/a_(b)") == "<https://x.example/a_(b)>"
    assert (
        destination("https://x.example/p) [y](javascript:alert(1)")
        == "<https://x.example/p)%20[y](javascript:alert(1)>"
    )
    md = to_markdown('<p><a href="https://x.example/p) [y](javascript:alert(1)">t</a></p>')
    assert "javascript" not in rendered(md).split('href="', 1)[1].split('"', 1)[0].split("javascript")[0] or (
        'href="javascript' not in rendered(md)
    )


def test_the_cleaned_tree_is_written_as_bs4_writes_it_text_and_attributes_escaped() -> None:
    from newsdigest.extract.clean import clean_html, sanitise, serialise

    fragment = (
        '<p>Fish &amp; chips &lt;img src=x onerror=alert(1)&gt; <a href="/q?a=1&amp;b=&quot;2&quot;" '
        'title="say &quot;hi&quot;">link</a><br><!-- a comment --></p>'
        '<figure><img src="/a.jpg" alt="A &lt;b&gt;"><figcaption>Cap</figcaption></figure><hr>'
    )
    clean = clean_html(fragment, "https://news.example/story")
    written = serialise(clean.tree)
    assert clean.html == sanitise(written) == sanitise(clean.tree.decode_contents())
    assert "&lt;img src=x onerror=alert(1)&gt;" in written and "<img src=x" not in written
    assert 'href="https://news.example/q?a=1&amp;b=&quot;2&quot;"' in written
