"""Cross-site scripting through the whole extraction: Article.html and Article.markdown hold nothing
that runs, whatever the page. The vectors follow the classes of OWASP's XSS filter evasion cheat
sheet; the output is read back by parsers other than lxml's (html5lib, as browsers parse, and the
standard library's html.parser), and the Markdown through a CommonMark renderer with raw HTML on.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from newsdigest.extract import extract_article
from newsdigest.extract.clean import ALLOWED_ATTRIBUTES, ALLOWED_ELEMENTS

from tests.unit.test_structure import paragraphs, text_blocks

PAGE_URL = "https://news.example/world/2024/05/11/story.html"
_PARA = (
    "The ministry said on Monday that the harvest would reach a record this year, citing a mild spring "
    "and good soil moisture across the main growing regions of the country."
)
_WRAPPERS = {"html", "head", "body"}
_URL_ATTRIBUTES = {"href", "src"}
_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")
# Executable addresses, however they are written: what remains once a browser has dropped the
# whitespace and control characters it ignores.
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data|livescript|mocha|jar|file):", re.I)
_UNSEEN = re.compile(r"[\x00-\x20\x7f]+")

VECTORS = {
    "odd case javascript": '<a href="JaVaScRiPt:alert(1)">odd case</a>',
    "entity-encoded javascript": (
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">decimal</a>'
        '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">hex</a>'
        '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">padded</a>'  # noqa: E501
    ),
    "whitespace in javascript": (
        '<a href="jav\tascript:alert(1)">tab</a><a href="jav&#x09;ascript:alert(1)">tab entity</a>'
        '<a href="jav&#x0A;ascript:alert(1)">newline</a><a href=" &#14;  javascript:alert(1)">leading</a>'
    ),
    "vbscript and data urls": (
        '<a href="vbscript:msgbox(1)">vb</a>'
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>'
        '<img src="vbscript:msgbox(1)"><img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'
    ),
    "event handlers": (
        '<img src="/pic.jpg" onerror="alert(1)" onload=alert(2)><b onmouseover="alert(1)">hover</b>'
        "<details open ontoggle=alert(1)>toggle</details><body onload=alert(1)>"
        '<a href="/ok" onclick="alert(1)" ONFOCUS="alert(1)">ok link</a>'
    ),
    "script and style": (
        "<script>alert(1)</script><SCRIPT SRC=//evil.example/x.js></SCRIPT><style>body{background:"
        "url(javascript:alert(1))}</style><link rel=stylesheet href=javascript:alert(1)>"
    ),
    "svg": (
        "<svg onload=alert(1)><script>alert(1)</script></svg>"
        '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>'
        "<svg><animate onbegin=alert(1) attributeName=x dur=1s></svg>"
    ),
    "mathml": (
        '<math href="javascript:alert(1)">CLICKME</math>'
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>"  # noqa: E501
    ),
    "base": '<base href="javascript:alert(1)//"><a href="/relative">relative after a base</a>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "srcdoc and frames": (
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe><iframe src="javascript:alert(1)"></iframe>'  # noqa: E501
        '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">'
    ),
    "css expression and url": (
        '<p style="width: expression(alert(1))">expression</p>'
        "<span style=\"background-image: url('javascript:alert(1)')\">css url</span>"
        '<div style="behavior: url(xss.htc)">behaviour</div>'
    ),
    "noscript tricks": (
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'
        '<img data-src="/lazy.jpg"><noscript><img src="/real.jpg" onerror="alert(1)"></noscript>'
    ),
    "mxss parser differences": (
        '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">'
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>"
        '<xmp><img title="</xmp><img src=x onerror=alert(1)>"></xmp>'
        "<listing>&lt;img src=x onerror=alert(1)&gt;</listing>"
        "<!--<img src=x onerror=alert(1)>--><textarea></textarea><img src=x onerror=alert(2)>"
        '<table><a href="javascript:alert(1)">in a table</a></table>'
        '<a href="javascript&colon;alert(1)">colon entity</a>'
    ),
    "forms": (
        '<form action="javascript:alert(1)"><input onfocus=alert(1) autofocus>'
        '<button formaction="javascript:alert(1)">go</button></form>'
    ),
    "lazy attributes": '<img data-src="javascript:alert(1)" srcset="javascript:alert(1) 1x">',
    "text that reads as markup": (
        "&lt;img src=x onerror=alert(1)&gt; and &lt;script&gt;alert(1)&lt;/script&gt; as text, "
        "[a link](javascript:alert(1)) written in Markdown, and ![an image](javascript:alert(1))"
    ),
    "markdown link injection": (
        '<a href="https://ok.example/a) [x](javascript:alert(1)">injected destination</a>'
        '<img src="https://ok.example/b.jpg" alt="](javascript:alert(1)) ![">'
        '<a href="https://ok.example/c" title="&quot; onclick=&quot;alert(1)">title</a>'
    ),
}


_IN_HEAD = ("<base", "<meta")


def _page(vector: str) -> str:
    """An article with ``vector`` inside a paragraph, between paragraphs and inside a figure (and in
    the head, for what belongs there)."""
    head = vector if vector.startswith(_IN_HEAD) else ""
    return f"""<html><head><title>Harvest record</title>{head}</head><body>
    <article><h1>Harvest record</h1>
    <p>{_PARA} {vector} {_PARA}</p>
    {vector}
    <p>{_PARA}</p>
    <figure><img src="/photos/field.jpg" alt="A field">{vector}
    <figcaption>Wheat {vector}</figcaption></figure>
    <p>{_PARA} The end.</p>
    <div><p>{_PARA}</p>{vector}</div>
    </article></body></html>"""


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))


def _elements(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Elements and attributes as html5lib and as html.parser read them (both lists)."""
    tree = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    found = [(str(el.tag), [(str(k), str(v)) for k, v in el.attrib.items()]) for el in tree.iter()
             if isinstance(el.tag, str)]  # fmt: skip
    collector = _Collect()
    collector.feed(html)
    collector.close()
    found += [(tag, [(k, v or "") for k, v in attrs]) for tag, attrs in collector.elements]
    return found


def assert_inert(html: str) -> None:
    for tag, attrs in _elements(html):
        local = tag.rsplit("}", 1)[-1].lower()
        assert local in ALLOWED_ELEMENTS or local in _WRAPPERS, f"element {tag!r} in {html[:300]!r}"
        allowed = ALLOWED_ATTRIBUTES.get(local, frozenset()) | ({"rel"} if local == "a" else set())
        for name, value in attrs:
            assert name.lower() in allowed, f"attribute {name}={value!r} on <{tag}>"
            if name.lower() in _URL_ATTRIBUTES:
                seen = _UNSEEN.sub("", value)
                assert not _BAD_SCHEME.match(seen), f"{name}={value!r}"
                assert seen.lower().startswith(_SAFE_SCHEMES), f"{name}={value!r} is not absolute http(s)"


def rendered(markdown: str) -> str:
    # CommonMark with raw HTML passed through, as most renderers do.
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(markdown)


@pytest.mark.parametrize("vector", list(VECTORS.values()), ids=list(VECTORS))
def test_vector_leaves_nothing_executable(vector: str) -> None:
    article = extract_article(_page(vector), PAGE_URL)
    assert article.status == "ok" and _PARA in article.text
    assert article.html and article.markdown
    assert_inert(article.html)
    assert_inert(rendered(article.markdown))
    if article.image:
        assert article.image.startswith("https://")


def test_a_link_beside_the_vectors_survives_resolved() -> None:
    article = extract_article(_page(VECTORS["base"]), PAGE_URL)
    # <base href="javascript:..."> is no base: relative addresses resolve against the page.
    assert '<a href="https://news.example/relative"' in article.html
    assert '<img alt="A field" src="https://news.example/photos/field.jpg">' in article.html


def test_text_that_reads_as_markup_stays_text() -> None:
    article = extract_article(_page(VECTORS["text that reads as markup"]), PAGE_URL)
    assert "&lt;img src=x onerror=alert(1)&gt;" in article.html
    html = rendered(article.markdown)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img src=x" not in html
    assert 'href="javascript' not in html and 'src="javascript' not in html


_TAGS = st.sampled_from(
    ["p", "div", "span", "a", "b", "em", "img", "figure", "figcaption", "picture", "source", "ul", "li",
     "table", "tr", "td", "blockquote", "pre", "code", "h2", "br", "svg", "math", "script", "style",
     "noscript", "iframe", "form", "input", "textarea", "xmp", "template", "object", "base", "meta",
     "select", "option", "details", "x-widget", "font", "center"]
)  # fmt: skip
_ATTRS = st.sampled_from(
    ["href", "src", "srcset", "data-src", "style", "class", "id", "onclick", "onerror", "ONLOAD",
     "srcdoc", "action", "formaction", "xlink:href", "title", "alt", "width", "height", "colspan"]
)  # fmt: skip
_VALUES = st.one_of(
    st.sampled_from(
        ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " java\tscript:x", "vbscript:x",
         "data:text/html,<script>alert(1)</script>", "/img.jpg", "//cdn.example/x.png", "x.jpg 2x",
         "expression(alert(1))", "\"><img src=x onerror=alert(1)>", "</noscript><img onerror=alert(1)>",
         "1", "0"]
    ),
    st.text(max_size=12),
)  # fmt: skip
_TEXT = st.one_of(
    st.sampled_from(["<", "&", "&lt;script&gt;", "*", "_", "[", "]", "(", ")", "`", "#", "1.", "\n", " "]),
    st.text(max_size=15),
)  # fmt: skip


@st.composite
def markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 3 and draw(st.booleans()):
            tag = draw(_TAGS)
            attrs = "".join(
                f' {draw(_ATTRS)}="{draw(_VALUES).replace(chr(34), "&quot;")}"'
                for _ in range(draw(st.integers(0, 3)))
            )
            parts.append(f"<{tag}{attrs}>{draw(markup(depth + 1))}</{tag}>")
        else:
            parts.append(draw(_TEXT).replace("<", "&lt;") if draw(st.booleans()) else draw(_TEXT))
    return "".join(parts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragment=markup())
def test_random_markup_never_gets_through(fragment: str) -> None:
    article = extract_article(_page(fragment), PAGE_URL)
    assert_inert(article.html)
    assert_inert(rendered(article.markdown))
    assert text_blocks(article.html) == paragraphs(article)  # and the HTML is still the text's blocks
