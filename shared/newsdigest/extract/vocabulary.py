"""The furniture vocabulary of the extractor, grouped by what it names (the model is trafilatura's
``xpaths.py``): tags, ARIA roles, the words developers put into ``class``/``id`` attributes, the link
targets of calls to follow or subscribe, and the shapes of picture captions and credits.

The class words are English-ish jargon on sites in every language. :mod:`.boilerplate` matches the
long, unambiguous ones anywhere inside an attribute (``sharebar``, ``relatedPosts``) and the short or
ambiguous ones as whole tokens only (``nav``, ``ad``). What a word costs a box (removed outright, only
when small, only when it is not most of the page) is decided in :mod:`.prune`; the sizes are in
:mod:`.thresholds`.
"""

from __future__ import annotations

import re

# --- tags ---------------------------------------------------------------------------------------------

# Removed with their content before anything else is looked at: code, media, form controls, the head.
DROP_TAGS = frozenset(
    [
        "script",
        "style",
        "template",
        "svg",
        "math",
        "canvas",
        "iframe",
        "object",
        "embed",
        "video",
        "audio",
        "source",
        "track",
        "map",
        "area",
        "button",
        "select",
        "option",
        "optgroup",
        "textarea",
        "input",
        "datalist",
        "dialog",
        "head",
        "link",
        "meta",
        "base",
        "figure",
        "picture",
        "img",
        # Ruby annotations: the reading aids above CJK characters would be spliced into the text.
        "rt",
        "rp",
    ]
)
# Furniture by tag, removed in the pruning walk (so that they leave a placeholder) unless they hold
# most of the page: some sites wrap everything in <noscript> or an unclosed <nav>.
FURNITURE_TAGS = frozenset(["nav", "aside", "menu", "footer", "noscript"])
# Elements that can hold the article itself and are never pruned on their class words alone.
CONTAINER_TAGS = frozenset({"html", "body", "main", "article"})
# Inline elements: odd classes on them are text styling, not furniture ...
INLINE_TAGS = frozenset(
    ["a", "em", "strong", "b", "i", "u", "small", "sup", "sub", "mark", "abbr", "cite", "q", "code"]
)
# ... unless they wrap blocks: a link around a headline and a summary is a teaser card.
CARD_BLOCK_TAGS = frozenset(["p", "div", "h2", "h3", "h4", "h5", "h6", "ul", "section"])

# --- roles --------------------------------------------------------------------------------------------

# Roles that mark furniture, whatever the tag.
DROP_ROLES = frozenset(
    [
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "search",
        "menu",
        "menubar",
        "dialog",
        "alertdialog",
        "toolbar",
        "tablist",
        "tooltip",
    ]
)
# Tab strips; accordions are marked up as tab lists too, and those hold the article's sections.
PANEL_ROLES = frozenset(["tablist", "tabpanel"])

# --- class and id words, by concept (substrings) --------------------------------------------------------

CONSENT = ("cookie", "consent", "gdpr")
SUBSCRIPTION = (
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "sign-up",
    "login",
    "paywall-banner",
    "donation",
)
SHARING = ("share", "sharing", "social", "sociable", "tweet", "instagram", "tiktok", "embed")
COMMENTS = ("comment", "disqus", "replies", "feedback")
ADVERTISING = ("sponsor", "advert", "promo", "affiliate", "buybox", "outbrain", "taboola")
# Lists and links to other stories of the site.
OTHER_STORIES_WORDS = (
    "related",
    "recommend",
    "popular",
    "trending",
    "mostread",
    "most-read",
    "more-from",
    "see-also",
    "also-read",
    "headline-list",
    "toplist",
    "ticker",
    "teaser",
    "post-nav",
    "next-post",
    "prev-post",
    "previous-post",
    "nextstory",
    "next-article",
)
NAVIGATION = (
    "breadcrumb",
    "pagination",
    "sidebar",
    "navbar",
    "navigation",
    "toolbar",
    "masthead",
    "footer",
    "banner",
    "skiplink",
    "skip-link",
    "jump-link",
    "accessibility",
    "dropdown",
    "offcanvas",
)
# What the page says about the article rather than the article itself.
ARTICLE_FACTS = (
    "byline",
    "author",
    "timestamp",
    "published",
    "updated",
    "tagcloud",
    "tag-cloud",
    "keyword",
    "metadata",
    "licence",
    "license",
    "copyright",
    "disclaimer",
    "disclosure",
    "notice",
    "contact-box",
    "placeholder",
)
# Picture captions and credits, also under their German and CMS-specific names.
CAPTIONS = (
    "caption",
    "credit",
    "bildunter",
    "bildquelle",
    "imagedesc",
    "image-desc",
    "img-desc",
    "image-subtitle",
    "image-source",
    "imagesource",
    "img-meta",
    "image-meta",
)
CAPTION_WORDS = re.compile("|".join(re.escape(w) for w in CAPTIONS), re.I)
# Layers and picture widgets a script drives.
PICTURE_WIDGETS = ("lightbox", "carousel", "slider", "gallery")
WIDGETS = ("modal", "popup", "overlay", *PICTURE_WIDGETS)
# Left out of the printed page by the site itself.
NOT_PRINTED = ("noprint", "no-print", "print-none", "hidden-print", "nicht-drucken")

FURNITURE_SUBSTRINGS = (
    CONSENT
    + SUBSCRIPTION
    + SHARING
    + COMMENTS
    + ADVERTISING
    + OTHER_STORIES_WORDS
    + NAVIGATION
    + ARTICLE_FACTS
    + CAPTIONS
    + WIDGETS
    + NOT_PRINTED
)

# --- class and id words, by concept (whole tokens: short or ambiguous) ----------------------------------

TOKEN_NAVIGATION = ("nav", "menu", "topbar", "links", "aside", "rss", "legend")
TOKEN_ADVERTISING = ("ad", "ads", "adv", "advertisement", "werbung", "anzeige", "sponsored")
TOKEN_AD_BLOCKER = ("adb", "adblock", "adblocker")
TOKEN_READERS = ("forum", "forums", "rating", "ratings", "vote", "poll", "polls", "respond")
TOKEN_CALLS = ("share", "follow", "cta")
TOKEN_ARTICLE_FACTS = ("tags", "meta", "date", "time")
TOKEN_EXTRAS = ("extra", "extras", "dialog")
FURNITURE_TOKENS = frozenset(
    TOKEN_NAVIGATION
    + TOKEN_ADVERTISING
    + TOKEN_AD_BLOCKER
    + TOKEN_READERS
    + TOKEN_CALLS
    + TOKEN_ARTICLE_FACTS
    + TOKEN_EXTRAS
)

# Never drop on the word alone: "commentary"/"Kommentar" are article genres, not reader comments.
GENRE_SUBSTRINGS = ("commentar", "kommentar")
# The plural is the readers' comment section, the singular an article genre.
READER_COMMENT_SUBSTRINGS = ("kommentare", "kommentarmodul")
# A live ticker's running commentary ("live-match-comment") is the story.
LIVE_TOKEN = "live"  # noqa: S105 (a class word, not a secret)

# Words that mark furniture however big the box is (reader comments can outweigh the article).
ALWAYS_FURNITURE = (*CONSENT, "newsletter", "comment", "disqus", "outbrain", "taboola", "breadcrumb")
# Layers a script opens over the page (privacy notices, sign-up and login forms, ad-blocker notices
# such as "adb-notification"); the article itself is protected by its headline and markers.
OVERLAY_TOKENS = frozenset(["modal", "popup", "dialog", "overlay", *TOKEN_AD_BLOCKER])
# Boxes of other stories: removed even when large, but never when they hold most of the page
# (scripts toggle "related" state classes on real article wrappers too).
OTHER_STORIES = ("related", "recommend", "popular", "trending", "mostread", "most-read")
# Reader threads (SPIP's "forum-texte") are written in paragraphs and can be long.
THREAD_TOKENS = frozenset(["forum", "forums"])
# Boxes about the writer ("author-box", "authorInfo", "contributor-bio", "about-the-author"): however
# long the biography, it is not the story.
AUTHOR_BOX = re.compile(
    r"(?:author|contributor|writer)[-_]?(?:box|bio|info|desc|about|profile|card)|"
    r"(?:about|bio)[-_]?(?:the[-_]?)?(?:author|writer)",
    re.I,
)
# Words with which themes name the article's own wrapper ("entry-content", "article-body").
CONTENT_WORDS = re.compile(r"content|article|artikel|body|entry|story|text|main|inhalt", re.I)
# Taxonomy classes CMSs stamp on the post wrapper ("tag-public-housing", "category-sport") carry
# arbitrary editorial words, not layout roles.
TAXONOMY = re.compile(r"^(?:tag|category|cat|topic|series|term|format|status|type|postid|prominence)[-_]")

# --- scoring hints (readability's positive and negative class words) ------------------------------------

POSITIVE_SCORE = re.compile(
    r"article|artikel|articulo|articolo|body|content|contenu|contenido|conteudo|inhalt|main|story|"
    r"text|texte|entry|post|blog|prose|richtext|rte|copy|beitrag|nachricht|noticia|detail",
    re.I,
)
NEGATIVE_SCORE = re.compile(
    r"comment|share|social|related|sidebar|footer|header|nav|menu|teaser|promo|widget|banner|ad-|"
    r"-ad|sponsor|meta|info|extra|more|links|list|rail|aside|tag|author|byline|date|caption|credit",
    re.I,
)

# --- hidden-ness ----------------------------------------------------------------------------------------

# Utility classes that hide an element outright (responsive variants like "hidden-xs" do not).
HIDDEN_CLASSES = frozenset(
    [
        "hidden",
        "hide",
        "d-none",
        "is-hidden",
        "u-hidden",
        "sr-only",
        "visually-hidden",
        "visuallyhidden",
        "screen-reader-text",
        "screenreader-only",
        "offscreen",
        "element-invisible",
        "invisible",
    ]
)
# State classes under a short namespace ("h--hide", "u-hide", "js-hidden"); responsive variants
# ("hidden-xs", "mobile-hide") name the screen they hide on and do not match.
HIDDEN_STATE = re.compile(r"^[a-z]{1,2}-{1,2}hid(?:e|den)$", re.I)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# --- link targets of calls to follow, subscribe or install --------------------------------------------

# A profile page on a social network (one path segment), not a post that the story quotes.
PROFILE_LINK = re.compile(
    r"https?://(?:www\.|[a-z]{2}\.)?(?:twitter|x|facebook|instagram|tiktok|linkedin|pinterest|threads)\.(?:com|net)"
    r"/@?[\w.\-]+/?(?:\?[^#]*)?$",
    re.I,
)
# ... or the outlet's subscription, newsletter or registration pages.
SIGNUP_LINK = re.compile(
    r"subscri|suscri|newsletter|/abo(?:nnement)?(?:[/?.-]|$)|abonn|signup|sign-up|/register|/registrier|prenumerat",
    re.I,
)
# App-store pages and messenger or video channels: "download our app", "join our Telegram channel".
CHANNEL_LINK = re.compile(
    r"https?://(?:(?:apps|itunes)\.apple\.com/|play\.google\.com/store/|t\.me/|(?:chat\.)?whatsapp\.com/|"
    r"(?:www\.)?youtube\.com/(?:@|c/|channel/|user/))",
    re.I,
)
# Second-level labels under which outlets register ("bbc.co.uk"): the outlet's name is the label before.
SECOND_LEVEL_LABELS = frozenset(["co", "com", "org", "net", "gov", "ac", "or", "ne", "gv", "go"])

# --- lines that are not running text --------------------------------------------------------------------

# A picture caption ends with the picture's credit: "... | © Getty Images", "... (Foto: dpa)",
# "... Photo: AFP". Running text never ends on a credit.
CREDIT_END = re.compile(
    r"(?:©|\(c\)|\(C\))\s*[^.!?©]{1,60}$|"
    r"\((?:Fotos?|Photos?|Bild|Bilder|Credits?|Image|Imagen|Fot\.)\s*:[^()]{1,80}\)$|"
    r"(?:^|[\s|/–-])(?:Fotos?|Photos?|Bild|Credits?|Fot\.)\s*:\s*[^.!?:]{1,60}$"
)
# ... or it starts with the figure's number or the picture's label ("Abbildung 3:", "Figure 2.",
# "Titelbild:", "Illustration:").
CAPTION_START = re.compile(
    r"^(?:Abbildung|Abb\.|Figure|Fig\.|Figura|Rysunek|Rys\.|Titelbild|Beitragsbild|Titelfoto|Aufmacherbild|"
    r"Image illustrative|Illustration|Bildquelle|Bildnachweis|Fotonachweis|Fotocredit|Photo credit|"
    r"Image credit)\s*\d*[a-z]?\s*[:.]\s"
)
# Picture credits and copyright notices as lines of their own.
COPYRIGHT_START = ("©", "(c) ", "(C) ", "Copyright")
# Error messages a broken PHP site prints into its own pages ("Warning: ... in /www/.../x.php on line 82").
SERVER_ERROR = re.compile(
    r"^(?:PHP )?(?:Warning|Deprecated|Notice|Strict Standards|(?:Catchable )?[Ff]atal error|Parse error)"
    r": .{1,600}? in \S+ on line \d+"
)

# --- the independent readability-style opinion (Readability.js's own published word lists) -------------

# Class/id words of boxes that are unlikely to hold the article, unless they also name a content box.
UNLIKELY_CANDIDATES = re.compile(
    r"-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|"
    r"legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|"
    r"ad-break|agegate|pagination|pager|popup|yom-remote",
    re.I,
)
MAYBE_CANDIDATE = re.compile(r"and|article|body|column|content|main|shadow", re.I)
UNLIKELY_ROLES = frozenset(
    ["menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog"]
)
