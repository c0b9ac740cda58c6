"""BERT-base-sized encoder with random weights, for packages/extract/bench (never committed).

    /usr/bin/python3 scripts/models/make_bench_bert.py export <dir>
        writes <dir>/{config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx,
        weights.pt}: 12 layers, d = 768, 12 heads, FFN 3072, vocabulary 30522 (~420 MB).
    /usr/bin/python3 scripts/models/make_bench_bert.py torch <dir> <batches.json> <threads> [repeats]
        runs PyTorch eager (best of `repeats` passes) (no_grad, float32) on the same weights and padded batches and prints
        one JSON line: seconds, tokens, tokensPerSecond, peakRssMiB, and hidden_states[7] of the
        first row of the first batch (to check both sides compute the same thing).
"""

import json
import os
import resource
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_tiny_models import TinyBert, bert_tokenizer_json, export, make_wordpiece_vocab, write_json  # noqa: E402

D, LAYERS, HEADS, FFN, VOCAB, MAX_POS = 768, 12, 12, 3072, 30522, 512


def build():
    torch.manual_seed(0)
    model = TinyBert(VOCAB, D, LAYERS, HEADS, FFN, MAX_POS).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.normal_(0.0, 0.02) if p.dim() > 1 else p.fill_(1.0 if name.endswith("weight") else 0.0)
    return model


def do_export(folder):
    model = build()
    vocab = make_wordpiece_vocab()
    write_json(os.path.join(folder, "config.json"), {
        "model_type": "bert", "vocab_size": VOCAB, "hidden_size": D, "num_hidden_layers": LAYERS,
        "num_attention_heads": HEADS, "intermediate_size": FFN, "max_position_embeddings": MAX_POS,
        "_comment": "random BERT-base-sized benchmark model (scripts/models/make_bench_bert.py)",
    })
    write_json(os.path.join(folder, "tokenizer.json"), bert_tokenizer_json(vocab))
    write_json(os.path.join(folder, "tokenizer_config.json"), {"cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]", "model_max_length": MAX_POS})
    ids = torch.tensor([[2, 10, 11, 3], [2, 12, 3, 0]])
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
    export(model, (ids, mask, torch.zeros_like(ids)), ["input_ids", "attention_mask", "token_type_ids"], ["last_hidden_state"], os.path.join(folder, "onnx", "model.onnx"))
    torch.save(model.state_dict(), os.path.join(folder, "weights.pt"))


def do_torch(folder, batches_file, threads, repeats=1):
    torch.set_num_threads(int(threads))
    model = build()
    model.load_state_dict(torch.load(os.path.join(folder, "weights.pt")))
    with open(batches_file) as f:
        batches = json.load(f)
    tensors = []
    for b in batches:
        ids = torch.tensor(b["ids"], dtype=torch.long)
        lengths = torch.tensor(b["lengths"])
        mask = (torch.arange(ids.shape[1])[None, :] < lengths[:, None]).long()
        tensors.append((ids, mask, torch.zeros_like(ids)))
    probe = None
    with torch.no_grad():
        model.hidden_states(*tensors[0])  # warm-up, like the onnxruntime side's first batch
        seconds = float("inf")
        for _ in range(int(repeats)):  # best of `repeats`: the machine is shared, take the least disturbed pass
            start = time.perf_counter()
            for i, t in enumerate(tensors):
                hs = model.hidden_states(*t)
                if i == 0:
                    probe = hs[7][0, 0, :8].tolist()
            seconds = min(seconds, time.perf_counter() - start)
    tokens = sum(sum(b["lengths"]) for b in batches)
    print(json.dumps({
        "seconds": seconds, "tokens": tokens, "tokensPerSecond": tokens / seconds,
        "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "probe": probe,
        "torch": torch.__version__, "threads": torch.get_num_threads(),
    }))


if __name__ == "__main__":
    if sys.argv[1] == "export":
        do_export(sys.argv[2])
    else:
        do_torch(*sys.argv[2:])
