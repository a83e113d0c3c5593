"""Themes of free-text comments: obvious topics come out as separate themes."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

from analysis.themes import (
    METHOD,
    Comment,
    find_themes,
    may_quote,
    stop_words,
    theme_count,
    words,
)
from surveys.report_records import QuoteConsent

ALL = QuoteConsent("all")

TOPICS = {
    "transit": (
        ["The bus", "The train", "The bus route", "The subway train", "The bus stop"],
        [
            "is always late",
            "needs more frequent service",
            "is too crowded at rush hour",
            "should run later at night",
            "fares are too expensive",
        ],
    ),
    "library": (
        ["The library", "The public library", "The library branch", "Our library", "The library's"],
        [
            "needs longer opening hours",
            "books are great",
            "should lend more ebooks",
            "reading room is too small",
            "children's story time is wonderful",
        ],
    ),
    "parks": (
        ["The park", "The playground in the park", "The park's trees", "Our parks", "The dog park"],
        [
            "needs more benches",
            "grass is never mowed",
            "should have cleaner washrooms",
            "is lovely in summer",
            "needs better lighting at night",
        ],
    ),
}


def labelled(per_topic: int = 25) -> tuple[list[Comment], dict[int, str]]:
    """Return comments about three obvious topics, and each comment's topic."""
    comments, topic_of = [], {}
    next_id = itertools.count(1)
    for topic, (subjects, predicates) in TOPICS.items():
        for subject, predicate in list(itertools.product(subjects, predicates))[:per_topic]:
            answer = next(next_id)
            comments.append(Comment(answer, f"{subject} {predicate}.", "en"))
            topic_of[answer] = topic
    return comments, topic_of


def test_three_obvious_topics_come_out_as_three_pure_themes():
    comments, topic_of = labelled()

    result = find_themes(comments, ALL, count=3)

    assert result.method == METHOD
    assert len(result.themes) == 3
    assert result.unassigned == ()
    found = set()
    for theme in result.themes:
        topics = {topic_of[answer] for answer in theme.comment_ids}
        assert len(topics) == 1, theme
        found |= topics
        assert theme.size == len(theme.comment_ids) == 25
    assert found == {"transit", "library", "parks"}
    terms = {term for theme in result.themes for term in theme.terms[:2]}
    assert {"bus", "library", "park"} <= terms


def test_the_same_comments_always_give_the_same_themes():
    comments, _ = labelled()

    assert find_themes(comments, ALL) == find_themes(list(reversed(comments)), ALL)


def test_the_number_of_themes_is_one_per_fifty_comments_from_two_to_eight():
    assert [theme_count(n) for n in (0, 10, 99, 150, 399, 400, 100_000)] == [2, 2, 2, 3, 7, 8, 8]
    comments, _ = labelled()

    assert len(find_themes(comments, ALL).themes) == 2  # 75 comments


def test_words_are_lemmatised_without_stop_words():
    assert words("The buses were running late", "en") == ["bus", "run", "late"]
    assert words("Les bibliothèques sont fermées le dimanche", "fr") == [
        "bibliothèque",
        "fermé",
        "dimanche",
    ]


def test_words_keep_their_vowel_signs_in_every_script():
    # Gurmukhi and Tamil vowel signs are combining marks, which Python's \\w leaves out.
    # ("ਨੂੰ", "ਨਹੀਂ" and "எப்போதும்" are stop words.)
    assert words("ਬੱਸ ਸ਼ਾਮ ਨੂੰ ਨਹੀਂ ਆਉਂਦੀ", "pa") == ["ਬੱਸ", "ਸ਼ਾਮ", "ਆਉਂਦੀ"]
    assert words("பேருந்து எப்போதும் தாமதமாக வருகிறது", "ta") == [
        "பேருந்து",
        "தாமதமாக",
        "வருகிறது",
    ]
    assert words("Le bus 42 arrive_tard", "fr") == ["bus", "arriver", "tard"]


def test_punjabi_themes_are_named_by_whole_words():
    texts = [
        "ਬੱਸ ਸੇਵਾ ਬਹੁਤ ਮਾੜੀ ਹੈ, ਸ਼ਾਮ ਨੂੰ ਬੱਸਾਂ ਨਹੀਂ ਆਉਂਦੀਆਂ।",
        "ਸ਼ਾਮ ਨੂੰ ਬੱਸ ਨਹੀਂ ਆਉਂਦੀ।",
        "ਬੱਸ ਸੇਵਾ ਮਾੜੀ ਹੈ।",
        "ਲਾਇਬ੍ਰੇਰੀ ਦਾ ਸਟਾਫ਼ ਬਹੁਤ ਮਦਦਗਾਰ ਹੈ।",
        "ਲਾਇਬ੍ਰੇਰੀ ਦਾ ਸਟਾਫ਼ ਮਦਦਗਾਰ ਹੈ।",
        "ਲਾਇਬ੍ਰੇਰੀ ਬਹੁਤ ਵਧੀਆ ਹੈ।",
    ]
    comments = [Comment(i, text, "pa") for i, text in enumerate(texts * 2)]

    result = find_themes(comments, ALL, count=2)

    every_word = {word for text in texts for word in words(text, "pa")}
    terms = {term for theme in result.themes for term in theme.terms}
    assert "ਮਦਦਗਾਰ" in terms
    assert terms <= every_word  # no fragment such as "ਨਹ" or "ਮਦਦਗ"


CHINESE = {
    "bus": [
        "公交车总是晚点，我们每天上班都迟到。",
        "公交车经常晚点，等了半个小时。",
        "早上的公交车太挤了，而且晚点。",
        "希望公交车能准时一点，不要晚点。",
        "公交车晚点太严重了。",
        "晚上公交车班次太少，经常晚点。",
    ],
    "library": [
        "图书馆开放时间太短了。",
        "希望图书馆周末也开放，延长开放时间。",
        "图书馆晚上八点就关门，太早了。",
        "图书馆的开放时间应该更长。",
        "图书馆周末关门，学生没地方看书。",
        "图书馆开放时间不方便上班的人。",
    ],
}


def test_chinese_is_cut_into_character_pairs_without_stop_words():
    assert words("公交车总是晚点", "zh_Hans") == ["公交", "交车", "车总", "总是", "是晚", "晚点"]
    # "因为" (because) is cut out before pairing; "是" (is) alone is dropped, "书" kept.
    assert words("因为图书馆 是 书", "zh") == ["图书", "书馆", "书"]
    assert words("Bus 42 公交", "zh") == ["bus", "公交"]


def test_chinese_comments_on_two_topics_come_out_as_two_themes():
    comments, topic_of = [], {}
    for topic, texts in CHINESE.items():
        for text in texts:
            comments.append(Comment(len(comments) + 1, text, "zh_Hans"))
            topic_of[len(comments)] = topic

    result = find_themes(comments, ALL)

    assert result.unassigned == ()
    assert len(result.themes) == 2
    by_topic = {topic_of[theme.comment_ids[0]]: theme for theme in result.themes}
    for topic, theme in by_topic.items():
        assert {topic_of[answer] for answer in theme.comment_ids} == {topic}
    assert {"公交", "晚点"} <= set(by_topic["bus"].terms[:4])
    assert {"图书", "书馆", "开放"} <= set(by_topic["library"].terms[:4])
    assert all(len(term) == 2 for theme in result.themes for term in theme.terms)


def test_punjabi_and_arabic_stop_words_do_not_name_themes():
    punjabi = [
        "ਬੱਸ ਸ਼ਾਮ ਨੂੰ ਨਹੀਂ ਆਉਂਦੀ ਅਤੇ ਸੇਵਾ ਮਾੜੀ ਹੈ।",
        "ਸ਼ਾਮ ਨੂੰ ਬੱਸ ਦੀ ਸੇਵਾ ਬਹੁਤ ਮਾੜੀ ਹੈ।",
        "ਬੱਸ ਹਮੇਸ਼ਾ ਦੇਰ ਨਾਲ ਆਉਂਦੀ ਹੈ।",
        "ਲਾਇਬ੍ਰੇਰੀ ਦਾ ਸਟਾਫ਼ ਬਹੁਤ ਮਦਦਗਾਰ ਹੈ।",
        "ਲਾਇਬ੍ਰੇਰੀ ਨੂੰ ਸ਼ਨੀਵਾਰ ਵੀ ਖੁੱਲ੍ਹਣਾ ਚਾਹੀਦਾ ਹੈ।",
        "ਲਾਇਬ੍ਰੇਰੀ ਦੇ ਸਟਾਫ਼ ਦਾ ਧੰਨਵਾਦ ਹੈ।",
    ]
    arabic = [
        "الحافلة تتأخر كل يوم ولا يوجد جدول واضح.",
        "الحافلة مزدحمة في الصباح ولا تأتي في الوقت.",
        "نحتاج إلى حافلة أكثر في المساء.",
        "المكتبة جميلة ولكن ساعات العمل قصيرة.",
        "أتمنى أن تفتح المكتبة في عطلة نهاية الأسبوع.",
        "الكتب في المكتبة قديمة ولا توجد كتب جديدة.",
    ]
    comments = [Comment(i, text, "pa") for i, text in enumerate(punjabi * 2)]
    comments += [Comment(100 + i, text, "ar") for i, text in enumerate(arabic * 2)]

    result = find_themes(comments, ALL, count=2)

    for language in ("pa", "ar"):
        terms = {
            term for theme in result.themes if theme.language == language for term in theme.terms
        }
        assert terms, language
        assert not terms & stop_words(language)
    every = {term for theme in result.themes for term in theme.terms}
    assert not {"ਨੂੰ", "ਹੈ", "ਦਾ", "ولا", "في", "إلى"} & every
    assert {"ਬੱਸ", "ਲਾਇਬ੍ਰੇਰੀ", "مكتبة"} <= every


def test_each_language_gets_its_own_themes():
    comments, _ = labelled(10)
    french = [
        Comment(100 + i, text, "fr")
        for i, text in enumerate(
            [
                "Le bus est toujours en retard.",
                "Les bus sont trop pleins.",
                "La bibliothèque ferme trop tôt.",
                "Les livres de la bibliothèque sont vieux.",
            ]
        )
    ]

    result = find_themes(comments + french, ALL, count=2)

    languages = {theme.language for theme in result.themes}
    assert languages == {"en", "fr"}
    for theme in result.themes:
        assert all((answer >= 100) == (theme.language == "fr") for answer in theme.comment_ids)


def test_examples_follow_the_quoting_rule():
    comments, _ = labelled(10)
    consenting = {comment.id for comment in comments if comment.id % 2}
    comments = [
        Comment(c.id, c.text, c.language, ("yes",) if c.id in consenting else ("no",))
        for c in comments
    ]
    text_of = {c.id: c.text for c in comments}

    none = find_themes(comments, QuoteConsent("none"), count=3)
    asked = find_themes(comments, QuoteConsent("consent_question", "quote_ok", ("yes",)), count=3)

    assert all(theme.examples == () for theme in none.themes)
    allowed = {text_of[answer] for answer in consenting}
    for theme in asked.themes:
        assert theme.examples and set(theme.examples) <= allowed
        assert len(theme.examples) <= 3
    assert may_quote(ALL, comments[1]) and not may_quote(QuoteConsent("none"), comments[1])


def test_comments_with_no_words_are_unassigned_not_forced_into_a_theme():
    comments, _ = labelled(10)
    empty = [Comment(900, "?!", "en"), Comment(901, "and the", "en"), Comment(902, "", "en")]

    result = find_themes(comments + empty, ALL, count=3)

    assert result.unassigned == (900, 901, 902)
    assert sum(theme.size for theme in result.themes) == len(comments)


def test_too_few_comments_give_no_themes():
    result = find_themes([Comment(1, "The bus is late.", "en")], ALL)

    assert result.themes == () and result.unassigned == (1,)


def test_importing_the_module_loads_no_language_library():
    code = (
        "import sys, analysis.themes;"
        "print(sorted({'sklearn', 'simplemma', 'stopwordsiso', 'flask'} & set(sys.modules)))"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )

    assert done.stdout.strip() == "[]"
