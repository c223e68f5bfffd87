"""CharTokenizer: a datatrove WordTokenizer whose words are single characters (whitespace dropped).

Lives in its own module (not in run_datatrove.py's __main__) so that datatrove's worker
processes, which unpickle the pipeline, can import it.
"""

from datatrove.utils.word_tokenizers import WordTokenizer

from common import strip_ws


class CharTokenizer(WordTokenizer):
    """Each non-whitespace character is a word, so MinhashDedupSignature's n-grams are character
    n-grams (of the text with whitespace removed, like the other tools')."""

    def __init__(self):
        super().__init__(language="zh_Hant")

    def word_tokenize(self, text: str) -> list[str]:
        return list(strip_ws(text))

    def sent_tokenize(self, text: str) -> list[str]:
        return [text]

    def span_tokenize(self, text: str) -> list[tuple[int, int]]:
        return [(0, len(text))]
