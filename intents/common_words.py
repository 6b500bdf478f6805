#!/usr/bin/env python3
"""Writes intents/common-words.txt: common Dutch and English words Baken never spell-corrects.

Needs wordfreq (pip install wordfreq==3.1.1). Run from the repository root:
    python3 intents/common_words.py > intents/common-words.txt
"""
import re
import unicodedata
import wordfreq


def fold(word):
    """Accents removed, as Baken folds a message's words ("reëel" -> "reeel")."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


HEADER = """# Common words of Dutch and English that Baken never spell-corrects (docs/engine.md, step 6).
# A real word the knowledge base does not use ("erachter", "traag", "premie") would otherwise be
# 'corrected' into one it does use ("rechter", "vraag", "premier") and change what a message means.
# Words the knowledge base uses are read as usual; misspellings ("wachtwoort", "vergete") are not here.
#
# Made with wordfreq 3.1.1 (https://github.com/rspeer/wordfreq; its data is under CC BY-SA 4.0,
# by Robyn Speer and contributors): every word of 5 or more letters a-z (after removing accents,
# as Baken does) with a Zipf frequency of at least 3.0 (once per million words) in Dutch or English.
# Regenerate: python3 intents/common_words.py > intents/common-words.txt
# A curator may add a word (one per line) or remove one that should be corrected."""

words = set()
for language in ("nl", "en"):
    for word in wordfreq.iter_wordlist(language):
        if wordfreq.zipf_frequency(word, language) < 3.0:
            break
        folded = fold(word)
        if re.fullmatch(r"[a-z]{5,}", folded):
            words.add(folded)
print(HEADER)
print("\n".join(sorted(words)))
