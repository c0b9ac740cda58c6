"""Writes the malformed-input corpus: one CoNLL-U file per validation rule, each a valid
two-sentence document with exactly one fault (line numbers are asserted in
src/validate/validate-conllu.test.ts). Run: /usr/bin/python3 make-fixtures.py"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

S1 = [
    "# sent_id = s1",
    "# text = They buy books.",
    "1\tThey\tthey\tPRON\tPRP\tCase=Nom|Number=Plur\t2\tnsubj\t2:nsubj\t_",
    "2\tbuy\tbuy\tVERB\tVBP\tNumber=Plur|Person=3|Tense=Pres\t0\troot\t0:root\t_",
    "3\tbooks\tbook\tNOUN\tNNS\tNumber=Plur\t2\tobj\t2:obj\tSpaceAfter=No",
    "4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t2:punct\t_",
]
S2 = [
    "# sent_id = s2",
    "# text = Vámonos al cine.",
    "1-2\tVámonos\t_\t_\t_\t_\t_\t_\t_\t_",
    "1\tVamos\tir\tVERB\t_\t_\t0\troot\t0:root\t_",
    "2\tnos\tnosotros\tPRON\t_\t_\t1\tobj\t1:obj\t_",
    "3-4\tal\t_\t_\t_\t_\t_\t_\t_\t_",
    "3\ta\ta\tADP\t_\t_\t5\tcase\t5:case\t_",
    "4\tel\tel\tDET\t_\t_\t5\tdet\t5:det\t_",
    "5\tcine\tcine\tNOUN\t_\t_\t1\tobl\t1:obl:a\tSpaceAfter=No",
    "5.1\tir\tir\tVERB\t_\t_\t_\t_\t1:conj\t_",
    "6\t.\t.\tPUNCT\t_\t_\t1\tpunct\t1:punct\t_",
]


def lines():
    # File lines 1..19: s1 = 1-6, blank 7, s2 = 8-18, blank 19.
    return S1 + [""] + S2 + [""]


def text(ls):
    return ("\n".join(ls) + "\n").encode("utf-8")


def col(line, k, value):
    parts = line.split("\t")
    parts[k] = value
    return "\t".join(parts)


def fixture(rule, data):
    with open(os.path.join(HERE, rule + ".conllu"), "wb") as f:
        f.write(data)


def edit(n, fn):
    ls = lines()
    ls[n - 1] = fn(ls[n - 1])
    return ls


fixture("valid", text(lines()))
fixture("bom", b"\xef\xbb\xbf" + text(lines()))
fixture("invalid-utf8", text(lines()).replace(b"\tbooks\t", b"\tbo\xffks\t"))
fixture("crlf-line-end", text(lines()).replace(b"\t0:root\t_\n", b"\t0:root\t_\r\n", 1))
fixture("final-blank-line", text(lines()[:-1]))
fixture("extra-blank-line", text(S1 + ["", ""] + S2 + [""]))
fixture("empty-sentence", text(S1 + ["", "# newdoc", ""] + S2 + [""]))
fixture("comment-in-sentence", text(S1[:4] + ["# note"] + S1[4:] + [""] + S2 + [""]))
fixture("missing-blank-line", text(S1 + S2[2:] + [""]))
fixture("column-count", text(edit(5, lambda l: l.rsplit("\t", 1)[0])))
fixture("empty-column", text(edit(5, lambda l: col(l, 5, ""))))
fixture("field-whitespace", text(edit(5, lambda l: col(l, 1, "books "))))
fixture("id-format", text(edit(5, lambda l: col(l, 0, "3a"))))
fixture("word-id-sequence", text(edit(5, lambda l: col(l, 0, "5"))))
fixture("head-format", text(edit(5, lambda l: col(l, 6, "two"))))
fixture("head-in-range", text(edit(5, lambda l: col(l, 6, "9"))))
fixture("head-self-loop", text(edit(5, lambda l: col(l, 6, "3"))))
ls = edit(5, lambda l: col(l, 6, "4"))
ls[5] = col(ls[5], 6, "3")
fixture("head-cycle", text(ls))
ls = edit(3, lambda l: col(l, 6, "2"))
ls[3] = col(col(ls[3], 6, "1"), 7, "ccomp")
fixture("no-root", text(ls))
fixture("multiple-roots", text(edit(6, lambda l: col(col(l, 6, "0"), 7, "root"))))
fixture("root-deprel", text(edit(6, lambda l: col(l, 7, "root"))))
fixture("upos-known", text(edit(5, lambda l: col(l, 3, "NOUNX"))))
fixture("feats-format", text(edit(5, lambda l: col(l, 5, "number=plur"))))
fixture("deprel-known", text(edit(5, lambda l: col(l, 7, "object"))))
fixture("deps-format", text(edit(5, lambda l: col(l, 8, "2obj"))))
fixture("multiword-range", text(edit(13, lambda l: col(l, 0, "4-3"))))
fixture("empty-node-id", text(edit(17, lambda l: col(l, 0, "5.2"))))
fixture("duplicate-sent-id", text(edit(8, lambda l: "# sent_id = s1")))
fixture("text-mismatch", text(edit(2, lambda l: "# text = They buy book.")))


def edits(changes):
    ls = lines()
    for n, fn in changes:
        ls[n - 1] = fn(ls[n - 1])
    return ls


# Level 1: NFC (a decomposed e + U+0301 in MISC) and whitespace inside columns.
fixture("unicode-nfc", text(edit(5, lambda l: col(l, 9, "Gloss=cafe\u0301|SpaceAfter=No"))))
fixture("internal-whitespace", text(edit(5, lambda l: col(l, 4, "NN S"))))
fixture("repeated-whitespace", text(edit(5, lambda l: col(l, 2, "bo  ok"))))
# Level 2: empty nodes and multiword tokens carry only their own columns.
fixture("empty-node-columns", text(edit(17, lambda l: col(l, 6, "5"))))
fixture("multiword-columns", text(edit(13, lambda l: col(l, 3, "ADP"))))
# Level 2: enhanced dependencies.
fixture("deps-heads", text(edit(5, lambda l: col(l, 8, "7:obj"))))
fixture("deps-order", text(edit(5, lambda l: col(l, 8, "2:obj|1:dep"))))
fixture("deps-self-loop", text(edit(5, lambda l: col(l, 8, "2:obj|3:dep"))))
fixture("deps-relation", text(edit(5, lambda l: col(l, 8, "2:Obj"))))
fixture("deps-root", text(edit(5, lambda l: col(l, 8, "0:obj"))))
fixture("deps-all-or-none", text(edits([(n, lambda l: col(l, 8, "_")) for n in (3, 4, 5, 6)])))
# Level 2: metadata and MISC conventions (checked by the validator only).
fixture("misc-repeated", text(edit(5, lambda l: col(l, 9, "SpaceAfter=No|SpaceAfter=No"))))
fixture("space-after", text(edit(11, lambda l: col(l, 9, "SpaceAfter=No"))))
fixture("sentence-text", text(edit(2, lambda l: "# text_en = They buy books.")))
fixture("sent-id-format", text(edit(1, lambda l: "# id = s1")))
fixture("parallel-id", text(S1[:1] + ["# parallel_id = PUD/s1"] + S1[1:] + [""] + S2 + [""]))
fixture("newdoc-newpar", text(S1 + ["", "# newpar", "# newpar"] + S2 + [""]))
