"""The tutorial script zhpolicy replaces, as users copy it from blog posts: jieba + Counter +
TfidfVectorizer(tokenizer=jieba.lcut) + one word cloud per section. The baseline of benchmarks/bench.py.

    python benchmarks/tutorial_baseline.py corpus/tianning_2024_lianghui.md -o /tmp/tutorial

Kept as users write it (global jieba, re-segmenting inside TfidfVectorizer and WordCloud.generate),
except for the font: it draws with the same Noto Sans CJK SC as zhpolicy, so both draw the same amount
of Chinese (with wordcloud's default font it would draw empty boxes, a little faster).
"""
import argparse
import re
from collections import Counter
from pathlib import Path

import jieba
from sklearn.feature_extraction.text import TfidfVectorizer
from wordcloud import WordCloud


def font_path() -> str:
    import mplfonts

    return str(next(Path(mplfonts.__file__).parent.rglob("NotoSansCJKsc-Regular.otf")))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("-o", "--output", default="tutorial_out")
    args = parser.parse_args()
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)

    text = open(args.path, encoding="utf-8").read()  # noqa: SIM115 (as the tutorials write it)
    sections = [s for s in re.split(r"\n(?=## )", text) if s.strip()]

    # word frequencies
    words = [w for w in jieba.lcut(text) if len(w) > 1 and w.strip()]
    counts = Counter(words)
    for word, n in counts.most_common(20):
        print(word, n)

    # TF-IDF per section
    vectorizer = TfidfVectorizer(tokenizer=jieba.lcut)
    matrix = vectorizer.fit_transform(sections)
    terms = vectorizer.get_feature_names_out()
    for i in range(matrix.shape[0]):
        row = matrix[i].toarray().ravel()
        print(i + 1, [terms[j] for j in row.argsort()[::-1][:10]])

    # one word cloud per section
    font = font_path()
    for i, section in enumerate(sections):
        cloud = WordCloud(font_path=font, width=800, height=600, background_color="white")
        cloud.generate(" ".join(jieba.lcut(section)))
        cloud.to_file(str(out / f"section_{i + 1:02d}.png"))


if __name__ == "__main__":
    main()
