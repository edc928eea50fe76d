"""Every size, share and count the main-text passes decide on, named once (the model is trafilatura's
``settings.py``/``settings.cfg``).

Each entry says what it guards against and what set it. "Dev" figures are benchmark figures on the
990-page segment set (``benchmarks/extraction.py``: F1 / precision / recall) or the 46-page full-text
set (4-gram shingle F1), with the commit that introduced the value; a value marked "initial" came with
the first extractor and was set by inspecting dev pages, not by a sweep. Change one only with the
benchmark run before and after, on both sets.

Units: characters of whitespace-stripped text unless said otherwise; "share" is a fraction of the
box's own text; "page" is the text of <body> after the furniture tags are stripped.
"""

from __future__ import annotations

# --- measure ------------------------------------------------------------------------------------------

# A block's own text must be this long to count as a paragraph unit (score, paragraph evidence).
# Guards: bylines, labels and buttons passing as text. Set: initial (0e7d9b5).
MIN_UNIT = 25
# A box made clickable by an empty link laid over it (a stretched link) is a teaser card up to this size.
# Guards: latest-news tickers of such cards read as text. Set: a671dd5 (seven pages better, F1 =).
STRETCHED_CARD_MAX = 300

# --- prune ----------------------------------------------------------------------------------------------

# Tag-, role- or hidden-marked furniture survives when it holds this share of the page ...
# Guards: unclosed banners and pages hidden until a script reveals them losing their body. Set: cb275e6.
FURNITURE_PAGE_SHARE = 0.4
# ... but never on pages smaller than this. Guards: one-box pages keeping their menu. Set: cb275e6.
FURNITURE_SMALL_PAGE = 200
# A tab list or tab panel is an accordion of article sections at this size and paragraph share.
# Guards: accordions (Bootstrap panel groups) dropped as tab strips. Set: 2bc702e (two pages 0.63 -> 0.99).
PANEL_MIN_TEXT = 400
PANEL_PARA_SHARE = 0.6
# Forms are search, login, newsletter and comment forms below this size (or page share) and paragraph
# share. Guards: page builders that wrap the whole page in a <form>. Set: initial.
FORM_MAX_TEXT = 1000
FORM_PAGE_SHARE = 0.4
FORM_PARA_SHARE = 0.5
# Boxes of other stories (related, popular, forum) go below this share of the page.
# Guards: a "related" state class on the real article wrapper. Set: 915bab9 (F1 =, a blog 0.33 -> 0.85).
OTHER_STORIES_PAGE_SHARE = 0.5
# A class-marked box is link-heavy above this link share, and goes at any size.
# Guards: menus and link rails larger than the size limits below. Set: initial (974d026).
LINK_HEAVY = 0.5
# A box that also calls itself content ("entry-content share") goes only below this size.
# Guards: themes that decorate the body wrapper with widget words. Set: c42fdc3.
CONTENT_WORD_MAX = 150
# A class-marked box that reads like article paragraphs survives from this size and paragraph share.
# Guards: sections flagged as hosting ad slots losing their paragraphs. Set: c42fdc3.
PARAGRAPHS_MIN_TEXT = 400
PARAGRAPHS_SHARE = 0.8
# Other class-marked boxes go below this size or this share of the page, whichever is larger.
# Guards: widget words on a box holding a good part of the article. Set: initial (974d026).
MARKED_MAX_TEXT = 600
MARKED_PAGE_SHARE = 0.25
# A class-marked box holding this share of the page's paragraph text is the article, whatever its words
# ("article-overlay-handle", "subscriber-only", "section-and-ad" on the body's own wrapper).
# Guards: the whole body pruned for one word when the headline stands outside it (empty results).
# Set: 4161561 with the other failure classes, not swept (segment F1 0.9409 -> 0.9419, empty
# results 3 -> 0; full-text F1 0.944 -> 0.950).
RUNNING_TEXT_SHARE = 0.5
# A heading's id is an anchor, not a name of a page part, when this share of its words (three letters
# or more) are words of the heading's text. Guards: a section heading pruned for the "nav" of its
# contents-list anchor "nav_nur_die_folie__1". Set: 55cda4a (segment F1 0.9437 -> 0.9438, no page
# worse; full-text unchanged).
ANCHOR_WORDS_SHARE = 0.5
# A picture widget (gallery, slider, carousel) is an insert, removed at any size, when within this many
# levels up its box holds this much paragraph text in <p> elements beside it. Guards: a 50-picture
# gallery's captions (40k characters) kept inside a 5k-character story. Set: ccf870a with
# OPINIONS_SAME_TEXT (full-text F1 0.953 -> 0.961, bug-1255978 0.30 -> 0.91; one segment page shorter).
INSERT_LEVELS = 3
INSERT_BESIDE_TEXT = 500
# A teaser list by shape: at least this many units (a box up to TEASER_UNIT_MAX characters wrapping a
# linked headline), making up this share of the box. Guards: "breaking news" and "more news" lists
# with sentence-long summaries outscoring or joining the article. Set: 4161561 (see RUNNING_TEXT_SHARE).
TEASER_LIST_MIN_UNITS = 4
TEASER_UNIT_MAX = 500
TEASER_LIST_SHARE = 0.7
# A picture's caption box: the picture's nearest text-holding ancestor within this many levels.
# Guards: credits and captions of pictures outside <figure> read as text. Set: 4161561 (see
# RUNNING_TEXT_SHARE).
PICTURE_BOX_LEVELS = 3
# A removed box of this size leaves a placeholder, so the writer drops the heading that introduced it.
# Guards: "Related stories" headings left dangling. Set: 2734d10.
CUT_MIN_TEXT = 50
# A <figure> holding headed paragraphs of this size is an unclosed figure swallowing the body.
# Guards: body paragraphs lost with a figure. Set: 1e76ba0 (F1 0.9384 -> 0.9387).
FIGURE_TEXT_MIN = 1000

# A class/id word test (wordsearch.py) is answered by its plain form until this call, then by a trie
# compiled for it. Guards: compiling tries no page asks enough to repay (the 14 cost about 40 M
# instructions of an Ingest cold start, whose one page asks each at most a few hundred times). Set:
# the calls after which a trie has repaid its compiling in a warm interpreter (a fresh one compiles
# slower), on 200 segment dev pages: 70-1,061 across the 14 tests, 382 for the furniture words.
TRIE_AFTER_CALLS = 400

# --- score -----------------------------------------------------------------------------------------------

# A block more than this share links is not a unit of text (scoring, baseline).
UNIT_LINK_SHARE = 0.5
# Wrappers (div, section, ...) need twice MIN_UNIT of their own text to be a unit. Set: initial.
WRAPPER_UNIT_FACTOR = 2
# Readability's points per unit: 1 + punctuation (capped) + length per 100 characters (capped).
# Guards: one huge unpunctuated block outscoring an article. Set: initial (readability's own caps).
PUNCT_POINTS_MAX = 12
LENGTH_POINTS_MAX = 3.0
LENGTH_POINTS_PER = 100.0
# Ancestors that receive a unit's points, and the share each level gets (1, 1/2, then 1/(3 level)).
SCORE_LEVELS = 5
# <body>/<html> are discounted: they win only when nothing narrower holds the text. Set: initial.
ROOT_DISCOUNT = 0.9

# --- choose ----------------------------------------------------------------------------------------------

# A sibling joins the container with this share of its score (and at least SIBLING_MIN_SCORE) ...
SIBLING_SCORE_SHARE = 0.2
SIBLING_MIN_SCORE = 10.0
# ... and below this link share (also once link boxes inside it are left out: afdd217).
SIBLING_LINK_SHARE = 0.35
# A paragraph-shaped sibling joins on its own: this much own text at under this link share.
SIBLING_OWN_SHARE = 0.8
SIBLING_PARA_MIN = 80
SIBLING_PARA_LINKS = 0.25
# A box the writer skips as a link list: over LINK_BOX_SHARE links, or over LINK_BOX_SMALL_SHARE when
# small and barely punctuated. Guards: menus, related stories and tag clouds. Set: initial.
LINK_BOX_SHARE = 0.5
LINK_BOX_SMALL_SHARE = 0.2
LINK_BOX_SMALL_TEXT = 400
LINK_BOX_SMALL_PUNCT = 3
# The widening climb: at most this many ancestors that add text, and a hard cap on the levels walked.
# Guards: climbing to a page-wide wrapper. Set: cb275e6.
WIDEN_MAX_STEPS = 8
WIDEN_MAX_LEVELS = 40
# What an ancestor adds is clean below this link share and with this share of paragraph text ...
WIDEN_CLEAN_LINKS = 0.25
WIDEN_CLEAN_GOOD = 0.6
# ... or a short lead (a bold intro div): this small, barely linked, at most half the container.
WIDEN_LEAD_MAX = 400
WIDEN_LEAD_LINKS = 0.1
WIDEN_LEAD_SHARE = 0.5
# After the body, boxes under this share of it are bios, appeals and read-next teasers ...
# Set: 4ad4374 (F1 0.9303 -> 0.9354, P 0.9182 -> 0.9288).
TRAIL_BOX_SHARE = 0.1
# ... once the body is this long (short bodies cannot be told from their boxes).
TRAIL_BOX_MIN_BODY = 500
# A full story of a page that loads the next one on scroll: an <article> of this size.
# Guards: five stories in one text. Set: 4d37072 (one page 97.6k -> 9.9k characters, F1 +0.0002).
STORY_MIN = 1000
# The standfirst between the headline and the container: at most this many elements in between ...
LEAD_MAX_ELEMENTS = 150
# ... and this much text in all; each lead block this long, this much its own text, few links.
# Guards: a teaser rail between headline and body taken as the lead. Set: d1bbd10.
LEAD_MAX_CHARS = 800
LEAD_MIN_TEXT = 50
LEAD_OWN_SHARE = 0.9
LEAD_LINK_SHARE = 0.1

# --- write -----------------------------------------------------------------------------------------------

# A bare date line of this size is metadata, kept in ``published``. Set: initial.
DATE_LINE_MAX = 40
# Words besides the date on a date line ("Published", "Stand:").
DATE_LINE_WORDS = 3
# Credit and copyright lines up to this size are furniture. Set: initial.
COPYRIGHT_MAX = 200
# A line that ends on a credit or starts with a figure label is a caption up to this size.
# Set: f78f514 (F1 0.9297 -> 0.9303).
CAPTION_MAX = 300
# A line ending in a colon with this many words introduces what follows and is not a box's label
# ("Es gibt eine Vielzahl von Gründen für die Beurteilung von Bäumen:"; labels are "Mehr zum Thema:",
# "Das könnte Sie auch interessieren:"). Set: the dev sets give the same figures from 4 to 8 words
# (segment 3 segments regained, none lost; full-text aktualne 0.976 -> 0.988, links-in-tables 0.938 ->
# 0.945); 6 keeps five-word labels dropped.
INTRO_LINE_WORDS = 6
# A skipped box this large takes the heading that introduced it along, unless the box names itself
# ("Main article: ...", a note of the section; measure.labelled), the section's running text goes on
# after it in the heading's own container, and the text's other headings of that level head running
# text too (write.settle). That exception has no threshold of its own: set by 6561e00 (structure
# benchmark headings P/R 0.945/0.825 -> 0.947/0.855; text F1 of both dev sets unchanged).
DANGLING_BOX_MIN = 50
# A list item or cell more than this share links is a link (not in a reference list).
ITEM_LINK_SHARE = 0.65
# Headings made of links head the text's sections when at least this many of them are each followed by
# a paragraph of sentences (a listicle's entries, a manual's sections); one alone is another story's
# headline set into the text. Set by the dev pages: the sections of videos-1 and mercurial (fulltext)
# keep their headings, the "Mire: ..." and "MIRA: ..." teasers (segment) stay out.
LINKED_SECTIONS_MIN = 2
# A box around one sentence-ending paragraph stays at up to this link share, if its paragraph is
# this share of it. Set: 91bda0f (two pages regain paragraphs; the looser test cost F1 0.0005).
ONE_PARAGRAPH_LINKS = 0.5
ONE_PARAGRAPH_SHARE = 0.9
# A box this small whose every link is a call to follow or subscribe is skipped wherever it stands.
# Set: a736387 (F1 0.9402 -> 0.9404).
CALL_BOX_MAX = 500
# A teaser list: this many entries, each this short and each with a link. Set: 0b3df11 (F1 +0.0002).
TEASER_ITEM_MAX = 150
TEASER_MIN_ITEMS = 3
# A list is the text's notes when this share of its entries are targets of the page's in-page links
# (note marks), and a box its table of contents when this share of its in-page links lead to headings.
# Guards: marks and headings standing in boxes the prune pass removed (wikipedia-2: 364 of 368 notes
# still targeted, 27 of 29 contents entries still lead to a heading). Set: those two pages' shares.
LISTED_TARGETS_SHARE = 0.9
# A reference list's entries are titles of at least this length. Set: 79d256e (seven pages gain lists).
REFERENCE_ITEM_MIN = 25
# A box label ("Related articles") is shorter than this, or a heading shorter than the second figure.
BOX_LABEL_MAX = 80
BOX_HEADING_MAX = 120

# --- trim ------------------------------------------------------------------------------------------------

# Short unpunctuated trailing lines are calls to action and box labels. Set: 01ec9d4.
TRAIL_MAX = 80
# A closing list of this many items, each this long, survives that trim. Set: c2b7d0e.
CLOSING_LIST_MIN = 3
CLOSING_ITEM_MIN = 30
# A closing line that links to profiles or subscriptions is a call up to this size. Set: 651cc8b.
FOLLOW_MAX = 250
# A label above the first paragraph (kicker, section name) is shorter than this, and the paragraph
# after it at least LEAD_LABEL_NEXT long, or a heading. Set: 7610a49 (F1 0.9364 -> 0.9369); the
# heading: three segment pages lose their kicker, no page loses a segment.
LEAD_LABEL_MAX = 40
LEAD_LABEL_NEXT = 100
LEAD_LABELS_DROPPED = 2
# A repeated paragraph is dropped only when its normalised text is longer than this. Set: initial.
REPEAT_MIN_KEY = 20

# --- article (fallbacks and the publisher's articleBody) --------------------------------------------------

# Fewer characters than this is not an article (status ``not_article``). Set: initial.
MIN_ARTICLE_CHARS = 150
# The every-paragraph baseline replaces a short result when it is this many times longer.
BASELINE_FACTOR = 2
# The JSON-LD articleBody is considered from this size, and replaces the DOM text when it shares
# less than this share of its words or the DOM text is under this share of its length. Set: initial.
JSONLD_MIN_CHARS = 200
JSONLD_WORD_OVERLAP = 0.5
JSONLD_DOM_SHARE = 0.6

# --- publication date (extract/published.py; benchmarks/dates.py on the 727 dated dev pages) -------

# How many days our reading may stand from htmldate's and still win: one, the shift a time zone makes
# between a UTC timestamp and the day the outlet printed. On the 727 dated development pages the two
# readings are a day apart on 14 pages (ours right on 11, htmldate on 3); further apart on 47, where
# each is right on 18, so there htmldate's record off the development pages decides.
LOCAL_DAY_TOLERANCE = 1
# Pages larger than these are read by our own reading alone: htmldate copies, serialises and scans the
# whole page with regular expressions, 1-2 s of CPU on hostile pages of 100,000 date-like elements or
# 4 MB of text. The largest of the 990 development pages has 10,106 elements and 1.6 M characters.
HTMLDATE_MAX_ELEMENTS = 15_000
HTMLDATE_MAX_CHARS = 2_000_000
# A date in the URL path was fixed when the story went up; it outweighs any one page timestamp.
URL_DATE_WEIGHT = 2.5

# --- second opinions (opinions.py) -------------------------------------------------------------------------

# The paragraph run: a block is paragraph-like under this link share (and punctuated, MIN_UNIT long);
# short headings inside the run do not break it; more than RUN_GAP_MAX characters of other text
# between two paragraphs ends the run. Guards: menus and teaser rails joining the run. The opinions'
# figures below, this one to REPLACEMENT_MIN_SHARE: set by 4161561 with the failure classes, not swept
# (segment F1 0.9409 -> 0.9419, empty results 3 -> 0; full-text F1 0.944 -> 0.950).
RUN_LINK_SHARE = 0.3
RUN_HEADING_MAX = 200
RUN_GAP_MAX = 200
# Two opinions back each other at this agreement (Dice overlap of word 3-grams).
OPINIONS_AGREE = 0.5
# An opinion this close to the cascade's text (the same text, read another way) confirms it: it stands
# against longer opinions. Guards: a story replaced by the publisher's articleBody element that also
# holds a 50-picture gallery's captions (bug-1255978, fulltext: the readability opinion agrees 0.97
# with the cascade, F1 0.30 -> 0.91; no other dev page changes).
OPINIONS_SAME_TEXT = 0.9
# Otherwise the cascade's text is doubtful when shorter than this share of a backed opinion ...
FAR_SHORTER = 0.33
# ... or when it agrees less than this with every opinion.
LITTLE_SHARED = 0.2
# A replacement is at least this share of the cascade's length. Guards: two opinions agreeing on a
# small box (a cookie notice) over a long, right cascade text (five dev pages lost 8k-char bodies).
REPLACEMENT_MIN_SHARE = 0.5
# The cascade's text is sound, and no opinion is read, when it holds this share of the page's
# paragraph text: an opinion may replace it only when at least REPLACEMENT_MIN_SHARE of its length
# (and sharing little with it), which the rest of the page, 1 - SOUND_SHARE of it, cannot be.
# Guards: the opinions' cost (about 30 % of the CPU) on the 85 % of dev pages that cannot change;
# the 7 of 1,036 dev pages the opinions change hold at most 0.63 of their page's paragraph text.
SOUND_SHARE = 1 / (1 + REPLACEMENT_MIN_SHARE)
# Characters of each text that agreement compares (its start). Guards: shingling megabytes of text
# on a hostile page. The longest dev text (a Wikipedia article) has 107k characters; its start
# decides as well as the whole.
AGREEMENT_MAX_CHARS = 50_000
# Readability's retry: a result under this size is read again without its unlikely-candidate words
# (Readability.js's own charThreshold).
READABILITY_RETRY_CHARS = 500
