"""The theme step at scale: one question's 100,000 comments through ``analysis.themes``.

Generates synthetic comments (English and French, the split of the report-scale
survey's comments: about 88% and 12%) on eight civic topics, each comment a topic's
subject, one of its complaints or praises and, for some, a remark that could belong
to any topic. Then, in a fresh process, times ``find_themes`` (lemmas, TF-IDF, NMF,
examples) and reads the process's peak resident memory before and after. Also
reports how pure the themes are: the share of each theme's comments that share its
commonest generating topic (a check that the step still finds the topics at scale,
not a quality figure: real comments are less tidy).

Usage::

    python bench/themes.py                    # 100,000 comments
    python bench/themes.py --comments 20000   # fewer
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

TOPICS = {
    "en": {
        "transit": (
            ["The bus", "The train", "The bus route", "The subway", "The streetcar"],
            [
                "is always late",
                "needs more frequent service",
                "is too crowded",
                "should run later at night",
                "fares are too expensive",
                "drivers are friendly",
            ],
        ),
        "library": (
            ["The library", "The library branch", "Our library", "The library's books"],
            [
                "needs longer opening hours",
                "is a great place to read",
                "should lend ebooks",
                "reading room is too small",
                "story time is wonderful",
            ],
        ),
        "parks": (
            ["The park", "The playground", "The dog park", "Our parks", "The park trails"],
            [
                "needs more benches",
                "grass is never mowed",
                "needs cleaner washrooms",
                "is lovely in summer",
                "needs better lighting",
            ],
        ),
        "roads": (
            ["The road", "Our street", "The potholes on Main Street", "The road surface"],
            [
                "needs repaving",
                "is full of potholes",
                "is dangerous for cyclists",
                "is never plowed in winter",
            ],
        ),
        "housing": (
            ["Rent", "Housing", "Affordable housing", "Apartment rent"],
            [
                "is too expensive",
                "costs too much for families",
                "is impossible to find",
                "needs more city support",
            ],
        ),
        "garbage": (
            ["Garbage pickup", "Recycling collection", "The garbage bins", "Compost pickup"],
            ["is often missed", "should be weekly", "bins overflow", "works well"],
        ),
        "safety": (
            ["Police patrols", "Street safety", "Crime downtown", "Safety at night"],
            ["should increase", "worries me", "has improved", "needs attention"],
        ),
        "recreation": (
            ["The pool", "The community centre", "The arena", "The gym at the rec centre"],
            [
                "needs longer swim hours",
                "programs are great",
                "is too expensive to join",
                "should open on Sundays",
            ],
        ),
    },
    "fr": {
        "transit": (
            ["L'autobus", "Le train", "Le métro", "La ligne de bus"],
            [
                "est toujours en retard",
                "est trop bondé",
                "devrait passer plus souvent",
                "coûte trop cher",
            ],
        ),
        "library": (
            ["La bibliothèque", "Notre bibliothèque", "Les livres de la bibliothèque"],
            ["devrait ouvrir plus longtemps", "est formidable", "manque de place"],
        ),
        "parks": (
            ["Le parc", "Le terrain de jeux", "Les parcs du quartier"],
            ["manque de bancs", "est très beau en été", "a besoin de toilettes propres"],
        ),
        "roads": (
            ["La rue", "La chaussée", "Les nids-de-poule"],
            ["est en mauvais état", "est dangereuse pour les cyclistes", "doit être refaite"],
        ),
    },
}
ANY_TOPIC = {
    "en": ["Thank you.", "Please fix this soon.", "I have lived here ten years.", ""],
    "fr": ["Merci.", "Réglez ça vite svp.", "J'habite ici depuis dix ans.", ""],
}


def generate(count: int, seed: int = 15) -> list[tuple[int, str, str, str]]:
    """Return ``count`` comments as (id, text, language, topic)."""
    rng = random.Random(seed)
    rows = []
    for answer in range(1, count + 1):
        language = "fr" if rng.random() < 0.12 else "en"
        topic = rng.choice(sorted(TOPICS[language]))
        subjects, predicates = TOPICS[language][topic]
        text = f"{rng.choice(subjects)} {rng.choice(predicates)}. {rng.choice(ANY_TOPIC[language])}"
        rows.append((answer, text.strip(), language, topic))
    return rows


def measure(count: int) -> dict:
    """Run the theme step once in this process; return its figures."""
    from analysis.themes import Comment, find_themes, words
    from surveys.report_records import QuoteConsent

    rows = generate(count)
    comments = [Comment(answer, text, language) for answer, text, language, _ in rows]
    words("warm up the lemmatiser", "en")  # imports, as a worker would already have done
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    result = find_themes(comments, QuoteConsent("all"))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    topic_of = {answer: topic for answer, _, _, topic in rows}
    purity = []
    for theme in result.themes:
        commonest = Counter(topic_of[answer] for answer in theme.comment_ids).most_common(1)[0]
        purity.append(commonest[1] / theme.size)
    return {
        "comments": count,
        "seconds": round(seconds, 2),
        "peak_mb": round(peak),
        "before_mb": round(before),
        "themes": {
            language: sum(theme.language == language for theme in result.themes)
            for language in ("en", "fr")
        },
        "unassigned": len(result.unassigned),
        "purity_min": round(min(purity), 2),
        "purity_mean": round(sum(purity) / len(purity), 2),
    }


def main() -> None:
    """Measure the theme step in a fresh process and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.comments)))
        return
    done = subprocess.run(
        [sys.executable, str(HERE), "--child", "--comments", str(args.comments)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print("| comments | themes (en, fr) | unassigned | time | peak memory (before) | purity |")
    print("| --- | --- | --- | --- | --- | --- |")
    print(
        f"| {figures['comments']:,} | {figures['themes']['en']}, {figures['themes']['fr']} "
        f"| {figures['unassigned']} | {figures['seconds']} s "
        f"| {figures['peak_mb']} MB ({figures['before_mb']} MB) "
        f"| mean {figures['purity_mean']}, lowest {figures['purity_min']} |"
    )


if __name__ == "__main__":
    main()
