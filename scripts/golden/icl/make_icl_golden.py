"""Golden values for @xling/icl: structured prompting (Blevins et al. 2023) on the tiny decoders.

An independent implementation of the procedure of packages/icl, written from ../shared/ICL.md and
packages/icl/README.md, not from the TypeScript:

- the prompt: BOS, then per demonstration `Context: w1 ... wn\\n`, `Tagged:`, ` w_i_` and the
  tag for every word, `\\n`; the test sentence as `Context: ...\\n`, `Tagged:`, then ` w_i_` and
  its tag word by word. Each of these segments is tokenised on its own and the ids concatenated.
- label scoring: for every word and every candidate label, a full forward pass (no cache, no trie)
  over the prompt so far plus the label's tokens; the label's score is the mean (or sum) of its
  tokens' log-probabilities (log-softmax over the whole vocabulary). The best label (the first in
  label order on a tie) is appended, or the gold one with teacher forcing.
- with teacher forcing, the hidden states at each word's tag-prediction position (the last token
  of ` w_i_`, whose logits predict the label's first token).

The decoder forward is the plain-torch float64 one of scripts/golden/build/make_checkpoints.py
(imported), run on the fixture checkpoints it wrote (read back from their safetensors here).
Python's `tokenizers` is not installed for /usr/bin/python3, so the tokenizer is a WordPiece model
with the Whitespace pre-tokenizer, implemented below from the tokenizer.json this script writes
(packages/icl/src/__fixtures__/icl-tokenizer.json): its vocabulary splits the UPOS names into
pieces with shared prefixes (AD + ##J / ##P / ##V, N + ##OUN / ##UM, ...), so the label trie has
depth 2, and it fits the fixtures' 40-row embeddings. The TypeScript test puts it into the built
model folders in place of the fixtures' word-level tokenizer (which maps every UPOS name to <unk>).

Run: /usr/bin/python3 scripts/golden/icl/make_icl_golden.py
"""

import json
import os
import re
import struct
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'scripts', 'golden', 'build'))
import make_checkpoints as checkpoints  # noqa: E402

FIXTURES = os.path.join(ROOT, 'packages', 'extract', 'src', '__fixtures__', 'build')
OUT = os.path.join(ROOT, 'packages', 'icl', 'src', '__fixtures__')

UPOS = ['ADJ', 'ADP', 'ADV', 'AUX', 'CCONJ', 'DET', 'INTJ', 'NOUN', 'NUM', 'PART', 'PRON', 'PROPN',
        'PUNCT', 'SCONJ', 'SYM', 'VERB', 'X']

# ---------------------------------------------------------------- tokenizer

VOCAB = (['<unk>', '<s>', '</s>', 'Context', ':', 'Tagged']
         + ['the', 'cat', 'sat', 'dogs', 'run', 'a', 'bird', 'sings', 'fly', '.', '_', '##_']
         + ['AD', '##J', '##P', '##V', 'N', '##OUN', '##UM', 'PR', '##ON', '##OPN', 'P', '##ART', '##UNCT',
            'CC', 'SC', '##ONJ', 'DET', 'VERB', 'AUX', 'X', 'INTJ', 'SYM'])


def tokenizer_json():
    added = [{'id': i, 'content': t, 'single_word': False, 'lstrip': False, 'rstrip': False,
              'normalized': False, 'special': True} for i, t in enumerate(VOCAB[:3])]
    return {
        'version': '1.0', 'truncation': None, 'padding': None, 'added_tokens': added, 'normalizer': None,
        'pre_tokenizer': {'type': 'Whitespace'}, 'post_processor': None, 'decoder': None,
        'model': {'type': 'WordPiece', 'unk_token': '<unk>', 'continuing_subword_prefix': '##',
                  'max_input_chars_per_word': 100, 'vocab': {t: i for i, t in enumerate(VOCAB)}},
    }


class WordPiece:
    """tokenizers' Whitespace pre-tokenizer (`\\w+|[^\\w\\s]+`) and WordPiece model: greedy
    longest-match-first pieces, continuations prefixed with `##`, a word with an unmatched rest
    becomes the unknown token."""

    def __init__(self, spec):
        model = spec['model']
        self.vocab = model['vocab']
        self.unk = self.vocab[model['unk_token']]
        self.prefix = model['continuing_subword_prefix']
        self.max_chars = model['max_input_chars_per_word']

    def word(self, word):
        if len(word) > self.max_chars:
            return [self.unk]
        ids, start = [], 0
        while start < len(word):
            for end in range(len(word), start, -1):
                piece = (self.prefix if start > 0 else '') + word[start:end]
                if piece in self.vocab:
                    ids.append(self.vocab[piece])
                    start = end
                    break
            else:
                return [self.unk]
        return ids

    def encode(self, text):
        return [i for word in re.findall(r'\w+|[^\w\s]+', text) for i in self.word(word)]


# ---------------------------------------------------------------- model


def read_checkpoint(folder):
    """All tensors of the fixture's safetensors shards, as float64 (what the ONNX build reads)."""
    dtypes = {'F32': np.float32, 'F16': np.float16}
    weights = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith('.safetensors'):
            continue
        with open(os.path.join(folder, name), 'rb') as f:
            (size,) = struct.unpack('<Q', f.read(8))
            header = json.loads(f.read(size))
            data = f.read()
        for key, info in header.items():
            if key == '__metadata__':
                continue
            start, end = info['data_offsets']
            raw = data[start:end]
            if info['dtype'] == 'BF16':
                bits = np.frombuffer(raw, dtype='<u2').astype(np.uint32) << 16
                values = bits.view(np.float32)
            else:
                values = np.frombuffer(raw, dtype=np.dtype(dtypes[info['dtype']]).newbyteorder('<'))
            weights[key] = torch.from_numpy(values.astype(np.float64).reshape(info['shape']))
    return weights


class Decoder:
    def __init__(self, family):
        folder = os.path.join(FIXTURES, family)
        with open(os.path.join(folder, 'config.json')) as f:
            self.cfg = json.load(f)
        self.weights = read_checkpoint(folder)
        self.prefix = 'model.' if any(k.startswith('model.') for k in self.weights) else ''

    def run(self, ids):
        """Log-probabilities (positions x vocabulary) and hidden states [L+1] (positions x hidden)."""
        input_ids = torch.tensor([ids], dtype=torch.int64)
        last, states = checkpoints.llama_forward(self.cfg, self.weights, self.prefix, input_ids,
                                                 torch.ones_like(input_ids))
        logits = checkpoints.lm_logits(self.cfg, self.weights, self.prefix, last)[0]
        return torch.log_softmax(logits, dim=-1), [s[0] for s in states]


# ---------------------------------------------------------------- structured prompting


def demonstration_ids(tok, sentence):
    ids = tok.encode('Context: ' + ' '.join(sentence['words']) + '\n') + tok.encode('Tagged:')
    for word, tag in zip(sentence['words'], sentence['tags']):
        ids += tok.encode(' ' + word + '_') + tok.encode(tag)
    return ids + tok.encode('\n')


def tag_sentence(model, tok, prefix, sentence, candidates, scoring, teacher_forcing, layers):
    ids = prefix + tok.encode('Context: ' + ' '.join(sentence['words']) + '\n') + tok.encode('Tagged:')
    scores, predicted, margins, states = [], [], [], []
    for word, gold in zip(sentence['words'], sentence['tags']):
        ids = ids + tok.encode(' ' + word + '_')
        row = []
        for label in candidates:
            label_ids = tok.encode(label)
            log_probs, hidden = model.run(ids + label_ids)
            values = [log_probs[len(ids) - 1 + j, t].item() for j, t in enumerate(label_ids)]
            row.append(sum(values) / (len(values) if scoring == 'mean' else 1))
        best = max(range(len(row)), key=lambda i: (row[i], -i))
        scores.append(row)
        predicted.append(candidates[best])
        margins.append(row[best] - max(v for i, v in enumerate(row) if i != best))
        if layers:
            states.append([hidden[layer][len(ids) - 1].tolist() for layer in layers])
        ids = ids + tok.encode(gold if teacher_forcing else candidates[best])
    result = {'scores': scores, 'predicted': predicted, 'min_margin': min(margins), 'length': len(ids)}
    if layers:
        result['hidden_states'] = states
    return result


DEMONSTRATIONS = [
    {'words': ['the', 'cat', 'sat'], 'tags': ['DET', 'NOUN', 'VERB']},
    {'words': ['dogs', 'run', '.'], 'tags': ['NOUN', 'VERB', 'PUNCT']},
]
SENTENCES = [
    {'words': ['a', 'bird', 'sings'], 'tags': ['DET', 'NOUN', 'VERB']},
    {'words': ['the', 'dogs', 'fly', '.'], 'tags': ['DET', 'NOUN', 'VERB', 'PUNCT']},
]
CASES = [
    {'name': 'llama, mean, all labels, greedy', 'family': 'llama', 'k': 2, 'scoring': 'mean', 'labels': 'all',
     'teacher_forcing': False, 'layers': []},
    {'name': 'qwen2, sum, seen labels, teacher forcing', 'family': 'qwen2', 'k': 2, 'scoring': 'sum',
     'labels': 'seen', 'teacher_forcing': True, 'layers': [0, 2]},
    {'name': 'llama, no demonstrations', 'family': 'llama', 'k': 0, 'scoring': 'mean', 'labels': 'all',
     'teacher_forcing': False, 'layers': []},
]


def run_case(case, tok):
    model = Decoder(case['family'])
    demonstrations = DEMONSTRATIONS[:case['k']]
    seen = {tag for d in demonstrations for tag in d['tags']}
    candidates = [t for t in UPOS if case['labels'] == 'all' or t in seen]
    bos = tok.vocab['<s>']
    prefix = [bos] + [i for d in demonstrations for i in demonstration_ids(tok, d)]
    results = [tag_sentence(model, tok, prefix, s, candidates, case['scoring'], case['teacher_forcing'],
                            case['layers']) for s in SENTENCES]
    assert max(r['length'] for r in results) <= model.cfg['max_position_embeddings']
    # Predictions are compared exactly: keep every decision clear of the 1e-4 score tolerance.
    assert min(r['min_margin'] for r in results) > 1e-3, case['name']
    return {**case, 'candidates': candidates, 'prefix_length': len(prefix), 'results': results}


def rounded(value):
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, list):
        return [rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return value


def main():
    spec = tokenizer_json()
    tok = WordPiece(spec)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'icl-tokenizer.json'), 'w') as f:
        json.dump(spec, f)
        f.write('\n')
    golden = {
        'generator': 'scripts/golden/icl/make_icl_golden.py',
        'versions': {'python': sys.version.split()[0], 'torch': torch.__version__, 'numpy': np.__version__},
        'tokenizer': 'icl-tokenizer.json',
        'labels': UPOS,
        'demonstrations': DEMONSTRATIONS,
        'sentences': SENTENCES,
        'cases': [rounded(run_case(case, tok)) for case in CASES],
    }
    with open(os.path.join(OUT, 'icl-golden.json'), 'w') as f:
        json.dump(golden, f)
        f.write('\n')
    for case in golden['cases']:
        margin = min(r['min_margin'] for r in case['results'])
        print(f"{case['name']}: {[r['predicted'] for r in case['results']]}, smallest margin {margin:.4f}")


if __name__ == '__main__':
    main()
