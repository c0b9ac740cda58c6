"""A mid-size LLaMA decoder with random weights, for packages/icl/bench (never committed).

    /usr/bin/python3 scripts/models/make_bench_llama.py export <dir>
        writes a Hugging Face checkpoint folder <dir>/{config.json, model.safetensors,
        tokenizer.json, tokenizer_config.json}: 8 layers, d = 512, 8 query and 4 key/value heads,
        SwiGLU 1408, vocabulary 8192, untied lm_head (~95 MB). xling builds its ONNX graphs.
    /usr/bin/python3 scripts/models/make_bench_llama.py torch <dir> <tokens.json> <threads> [repeats]
        decodes like structured prompting does, in PyTorch eager (no_grad, float32) with a
        key/value cache: one forward pass over the prefix, then one single-token pass per further
        token, each feeding the previous pass's cache (tokens.json: {"prefix": [...], "steps": [...]}).
        Prints one JSON line: the best of `repeats` timings of the prefix pass and of the steps,
        the logits of the last step (to check both sides compute the same thing), the torch and
        BLAS thread counts in force, and the peak RSS.

The decoder follows Hugging Face's modeling_llama.py (RMSNorm, rotate_half rotary embeddings,
grouped-query attention, SwiGLU); thread counts are pinned before torch loads (see main).
"""

import json
import math
import os
import resource
import sys
import time

D, LAYERS, HEADS, KV_HEADS, FFN, VOCAB, MAX_POS, THETA, EPS = 512, 8, 8, 4, 1408, 8192, 4096, 10000.0, 1e-5


def config():
    return {
        'architectures': ['LlamaForCausalLM'], 'model_type': 'llama', 'vocab_size': VOCAB, 'hidden_size': D,
        'num_hidden_layers': LAYERS, 'num_attention_heads': HEADS, 'num_key_value_heads': KV_HEADS,
        'intermediate_size': FFN, 'max_position_embeddings': MAX_POS, 'rope_theta': THETA, 'rms_norm_eps': EPS,
        'hidden_act': 'silu', 'tie_word_embeddings': False, 'bos_token_id': 1, 'eos_token_id': 2,
    }


def tokenizer_json():
    """A word-level tokenizer over VOCAB made-up words: the benchmark feeds token ids directly."""
    vocab = {'<unk>': 0, '<s>': 1, '</s>': 2, **{f'w{i}': i for i in range(3, VOCAB)}}
    special = [{'id': i, 'content': t, 'single_word': False, 'lstrip': False, 'rstrip': False,
                'normalized': False, 'special': True} for t, i in list(vocab.items())[:3]]
    return {'version': '1.0', 'added_tokens': special, 'normalizer': None,
            'pre_tokenizer': {'type': 'Whitespace'}, 'post_processor': None, 'decoder': None,
            'model': {'type': 'WordLevel', 'vocab': vocab, 'unk_token': '<unk>'}}


def weights(torch):
    g = torch.Generator().manual_seed(0)

    def rand(*shape, std=0.02):
        return torch.randn(*shape, generator=g) * std

    dh = D // HEADS
    w = {'model.embed_tokens.weight': rand(VOCAB, D), 'model.norm.weight': 1 + rand(D), 'lm_head.weight': rand(VOCAB, D)}
    for i in range(LAYERS):
        p = f'model.layers.{i}.'
        w[p + 'input_layernorm.weight'] = 1 + rand(D)
        w[p + 'post_attention_layernorm.weight'] = 1 + rand(D)
        w[p + 'self_attn.q_proj.weight'] = rand(HEADS * dh, D)
        w[p + 'self_attn.k_proj.weight'] = rand(KV_HEADS * dh, D)
        w[p + 'self_attn.v_proj.weight'] = rand(KV_HEADS * dh, D)
        w[p + 'self_attn.o_proj.weight'] = rand(D, HEADS * dh)
        w[p + 'mlp.gate_proj.weight'] = rand(FFN, D)
        w[p + 'mlp.up_proj.weight'] = rand(FFN, D)
        w[p + 'mlp.down_proj.weight'] = rand(D, FFN)
    return w


def export(folder):
    import torch

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'golden', 'build'))
    from make_checkpoints import write_safetensors

    os.makedirs(folder, exist_ok=True)
    write_safetensors(os.path.join(folder, 'model.safetensors'), weights(torch))
    for name, obj in [('config.json', config()), ('tokenizer.json', tokenizer_json()),
                      ('tokenizer_config.json', {'bos_token': '<s>', 'eos_token': '</s>', 'unk_token': '<unk>',
                                                 'model_max_length': MAX_POS})]:
        with open(os.path.join(folder, name), 'w') as f:
            json.dump(obj, f)


def decoder(torch, folder):
    """The forward pass with a cache: step(ids, past) -> (logits of the new positions, new past)."""
    import torch.nn.functional as F

    w = {k: v.float() for k, v in weights(torch).items()}
    dh = D // HEADS
    inv_freq = 1.0 / (THETA ** (torch.arange(0, dh, 2).float() / dh))

    def rms(x, weight):
        return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + EPS))

    def rotate(x, cos, sin):
        half = x.shape[-1] // 2
        return x * cos + torch.cat([-x[..., half:], x[..., :half]], dim=-1) * sin

    def step(ids, past):
        s = ids.shape[1]
        p = 0 if past is None else past[0][0].shape[2]
        freqs = torch.arange(p, p + s).float()[:, None] * inv_freq[None, :]
        emb = torch.cat([freqs, freqs], dim=-1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        # Query i (at index p + i) sees keys 0 .. p + i.
        bias = torch.full((s, p + s), -math.inf).triu(p + 1)[None, None]
        x = F.embedding(ids, w['model.embed_tokens.weight'])
        present = []
        for i in range(LAYERS):
            pre = f'model.layers.{i}.'
            h = rms(x, w[pre + 'input_layernorm.weight'])
            q = F.linear(h, w[pre + 'self_attn.q_proj.weight']).view(1, s, HEADS, dh).transpose(1, 2)
            k = F.linear(h, w[pre + 'self_attn.k_proj.weight']).view(1, s, KV_HEADS, dh).transpose(1, 2)
            v = F.linear(h, w[pre + 'self_attn.v_proj.weight']).view(1, s, KV_HEADS, dh).transpose(1, 2)
            q, k = rotate(q, cos, sin), rotate(k, cos, sin)
            if past is not None:
                k, v = torch.cat([past[i][0], k], dim=2), torch.cat([past[i][1], v], dim=2)
            present.append((k, v))
            kk = k.repeat_interleave(HEADS // KV_HEADS, dim=1)
            vv = v.repeat_interleave(HEADS // KV_HEADS, dim=1)
            att = (q @ kk.transpose(-1, -2) / math.sqrt(dh) + bias).softmax(-1)
            x = x + F.linear((att @ vv).transpose(1, 2).reshape(1, s, D), w[pre + 'self_attn.o_proj.weight'])
            h = rms(x, w[pre + 'post_attention_layernorm.weight'])
            gate = F.silu(F.linear(h, w[pre + 'mlp.gate_proj.weight']))
            x = x + F.linear(gate * F.linear(h, w[pre + 'mlp.up_proj.weight']), w[pre + 'mlp.down_proj.weight'])
        logits = F.linear(rms(x, w['model.norm.weight']), w['lm_head.weight'])
        return logits, present

    return step


def run_torch(folder, tokens_path, threads, repeats):
    import torch
    from threadpoolctl import threadpool_info

    torch.set_num_threads(threads)
    with open(tokens_path) as f:
        tokens = json.load(f)
    step = decoder(torch, folder)
    best_prefix = best_steps = math.inf
    with torch.no_grad():
        for _ in range(repeats):
            start = time.perf_counter()
            logits, past = step(torch.tensor([tokens['prefix']]), None)
            mid = time.perf_counter()
            for t in tokens['steps']:
                logits, past = step(torch.tensor([[t]]), past)
            end = time.perf_counter()
            best_prefix, best_steps = min(best_prefix, mid - start), min(best_steps, end - mid)
    blas = sorted({(p['internal_api'], p['num_threads']) for p in threadpool_info()})
    print(json.dumps({
        'prefixSeconds': best_prefix, 'stepsSeconds': best_steps, 'torchThreads': torch.get_num_threads(),
        'blas': [f'{api}={n}' for api, n in blas], 'lastLogits': logits[0, -1, :16].tolist(),
        'peakRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def main():
    command, folder = sys.argv[1], sys.argv[2]
    if command == 'export':
        export(folder)
    elif command == 'torch':
        threads = int(sys.argv[4])
        # BLAS libraries read these when they load: set before importing torch, or Debian's
        # OpenBLAS keeps its own thread count whatever torch.set_num_threads says.
        for var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS', 'BLIS_NUM_THREADS'):
            os.environ[var] = str(threads)
        run_torch(folder, sys.argv[3], threads, int(sys.argv[5]) if len(sys.argv) > 5 else 3)
    else:
        sys.exit(f'unknown command {command!r}; use export or torch')


if __name__ == '__main__':
    main()
