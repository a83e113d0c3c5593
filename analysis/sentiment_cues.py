"""Civic-domain cue words for comment sentiment, English and French.

Written for Engage from what residents' comments to a city use to complain, thank or
simply state a fact: service failures and waits ("never", "too early", "not enough",
"waited", "unsafe"; "jamais", "trop", "pas assez", "attendre"), harm and
discrimination, and the idioms that turn a negation into praise ("no complaints",
"rien à redire"). `analysis.sentiment` counts them as features; their weights are
learnt on the tuning split of bench/data/sentiment/ (bench/train_sentiment.py).
Lower case; French words keep their accents.
"""


def _words(text: str) -> frozenset[str]:
    """Return the words of a whitespace-separated list."""
    return frozenset(text.split())


# A problem, a failure, a wait, harm, or a negation ("n't" counts too).
EN_COMPLAINT = _words(
    """
accident afraid again angry another anymore aren't awful bedbugs broke broken can't canceled
cancelled cannot closed closes closing cockroaches complicated confusing costly couldn't
crashed crashes crowded cut cuts danger dangerous dark delay delayed delays denied didn't
difficult dirty disappointed disappointing disaster discriminated discrimination doesn't
don't dumping enough evicted eviction expensive fail failed failing fails fear fed fell
filthy flood flooding floods frightened frustrated frustrating full graffiti harassed
harassment hard hasn't hate haven't homeless horrible hurt ice icy ignore ignored ignores
impossible injured isn't issue issues joke killed lack lacking late later leak leaking leaks
litter locked loud mess mice miss missed misses missing mold mould needles neither never
nightmare nobody noise noisy none nor nothing nowhere only overcrowded packed poor pothole
potholes problem problems profiling racism racist rats refused refuses removed ridiculous
rude sad scared scary shortage shouldn't shut skipped slippery slow slurs smell smells
speeding still stink stinks stolen stuck terrible theft tired too trapped tripped
unacceptable unaffordable unbearable unsafe upset useless vandalism wait waited waiting
waits wasn't waste wasted weren't without won't worse worst
"""
)

# Thanks, praise, satisfaction; negated ("not helpful") it counts apart.
EN_PRAISE = _words(
    """
amazing appreciate appreciated awesome beautiful best better bravo clean convenient
courteous easy enjoy enjoyed excellent fantastic fast fixed friendly glad good gorgeous
grateful great happy helped helpful helps impressed impressive improved improvement
kind kudos love loved lovely loves nice patient pleased proud quick safer satisfied support
thank thankful thanks welcoming wonderful
"""
)

# Negations and idioms that are praise.
EN_PRAISE_PHRASES = (
    "on time",
    "no issues",
    "no problems",
    "no complaints",
    "no complaint",
    "not bad",
    "never had a problem",
    "never had any problem",
    "never had an issue",
    "can't complain",
    "nothing to complain",
    "keep up",
    "on time",
    "big difference",
    "a difference",
    "well done",
    "well kept",
    "well organized",
    "well organised",
)

# Non-answers, when the comment is no longer than six words.
EN_NON_ANSWERS = (
    "no comment",
    "nothing to add",
    "n/a",
    "not sure",
    "not applicable",
    "no opinion",
    "none",
    "see my previous",
)

# First words of questions and suggestions.
EN_QUESTION_OPENINGS = _words(
    """
are can consider could do does how is maybe perhaps suggest what when where which who will
would
"""
)

# First words of statements about oneself.
EN_SELF_OPENINGS = _words("i i'm we my our")

# Words after which the main point of a mixed comment usually comes.
EN_CONTRAST = _words(
    """
although but except however though
"""
)

# Words of a suggestion.
EN_SUGGESTION = _words(
    """
consider could maybe perhaps should suggest suggestion wish would
"""
)

# After praise in the first two words, signs that the praise is sarcastic.
EN_SARCASM = (
    "another",
    "again",
    "too bad",
    "i'm sure",
    "exactly what",
    "just what",
    "yeah right",
    "oh good",
)

# A problem, a failure, a wait, harm, or a negation ("n't" counts too).
FR_COMPLAINT = _words(
    """
annulé annulée assez attend attendent attendons attendre attendu attente aucun aucune barré
barrée barrées barrés blessé bondé bondés bris brisé brisée brisées brisés bruit cher chers
chère compliqué coquerelles coupure coupé coupée coupés danger dangereuse dangereux
difficile discrimination dommage décevant déçu déçue déçus encore ferme fermeture fermé
fermée fermées fermés fortune frustrant fâché glace glacé glacée glacés graffitis haineux
ignoré impossible inacceptable inaccessible inondation inondations insulte insupportable
insécurité jamais lent lente manque manquent manquer moisissure ni nid nids nul nulle oublié
oubliée panne personne peur pire plainte plaintes plein pleine pleins plus problème
problèmes profilage pue puer punaises racisme raciste racistes rats refuse refusent refusé
retard retards ridicule rien sale sales sans seringues seulement tanné tannée tombé tombée
trop vol volé volés écoeuré écoeurée
"""
)

# Thanks, praise, satisfaction; negated ("not helpful") it counts apart.
FR_PRAISE = _words(
    """
accueillant accueillante adore adorent adoré aidant aidante aident aidé aidée aidés
aime aimé apprécie apprécié appuie beau beaux belle belles bien bon bonne bravo chapeau
choyés content contente courtois enfin excellent excellente extraordinaire facile facilité
fantastique fierté formidable gentil gentille gentils génial géniale heureux impeccable
impressionnant impressionnante impressionné impressionnée magnifique meilleur meilleure
merci mieux patient patiente patients plaisir pratique propre propres rapide ravi ravie
reconnaissant reconnaissante reconnaissants satisfait satisfaite super superbe sympathique
sympathiques sécuritaire
"""
)

# Negations and idioms that are praise.
FR_PRAISE_PHRASES = (
    "à l'heure",
    "rien à redire",
    "pas mal",
    "aucun problème",
    "aucune plainte",
    "jamais eu de problème",
    "jamais eu de problèmes",
    "rien à dire",
    "tout est correct",
    "ça fait du bien",
    "dire assez de bien",
    "fait toute une différence",
)

# Non-answers, when the comment is no longer than six words.
FR_NON_ANSWERS = (
    "aucun commentaire",
    "rien à ajouter",
    "s.o.",
    "sans objet",
    "ne s'applique pas",
    "je ne sais pas",
    "pas d'opinion",
    "voir mes réponses",
    "pas vraiment",
    "non",
)

# First words of questions and suggestions.
FR_QUESTION_OPENINGS = _words(
    """
comment est-ce où pensez peut peut-être pourrait pourriez quand quel quelle qui serait y
"""
)

# First words of statements about oneself.
FR_SELF_OPENINGS = _words("j je ma mes mon notre nous on")

# Words after which the main point of a mixed comment usually comes.
FR_CONTRAST = _words(
    """
cependant mais pourtant sauf toutefois
"""
)

# Words of a suggestion.
FR_SUGGESTION = _words(
    """
devraient devrait pensez peut-être pourraient pourrait pourriez seraient serait souhaite
suggestion suggère
"""
)

# After praise in the first two words, signs that the praise is sarcastic.
FR_SARCASM = (
    "un autre",
    "une autre",
    "encore",
    "dommage",
    "sûrement",
    "exactement ce",
    "bien sûr",
    "voyons donc",
)
