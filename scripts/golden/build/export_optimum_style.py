"""A decoder graph in Hugging Face Optimum's layout, exported by torch.onnx, not by xling.

Reads the tiny llama fixture checkpoint (packages/extract/src/__fixtures__/build/llama/), wraps a
float32 forward pass with a key/value cache, built from make_checkpoints.py's modeling_llama
functions, in an nn.Module whose forward(input_ids, attention_mask, position_ids, *past) returns
(logits, *present), and exports it with torch.onnx.export under Optimum's text-generation-with-past
names and dynamic axes: one `model.onnx` whose first call gets an empty past (length 0). Writes
packages/extract/src/__fixtures__/optimum-llama/: config.json and tokenizer.json (copied),
onnx/model.onnx and golden.json, whose logits all come from the same PyTorch module: the full
sequence (no cache), an incremental decode (a prefix, then one token at a time) and a left-padded
batch with one cached step. The full pass is checked against make_checkpoints.py's float64
reference before anything is written.

Needs /usr/bin/python3 with numpy and torch (1.13 here); torch.onnx.export does not need the
`onnx` package. Run: /usr/bin/python3 scripts/golden/build/export_optimum_style.py
"""

import json
import os
import shutil
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_checkpoints as mc  # noqa: E402

SOURCE = os.path.join(mc.OUT, 'llama')
OUT = os.path.join(mc.ROOT, 'packages', 'extract', 'src', '__fixtures__', 'optimum-llama')
PREFIX = 'model.'
OPSET = 14
PREFIX_LENGTH = 3
# Left-padded batch: row 0 holds golden row 0's first 5 tokens, row 1 golden row 1's first 3 after
# two pads; the cached step then gives each row its next token.
PADDED_LENGTHS = (5, 3)


def read_safetensors(folder):
    """All tensors of a (sharded) F32 safetensors checkpoint, by name."""
    with open(os.path.join(folder, 'model.safetensors.index.json')) as f:
        files = sorted(set(json.load(f)['weight_map'].values()))
    tensors = {}
    for file in files:
        with open(os.path.join(folder, file), 'rb') as f:
            size = struct.unpack('<Q', f.read(8))[0]
            header = json.loads(f.read(size))
            data = f.read()
        for name, meta in header.items():
            if name == '__metadata__':
                continue
            assert meta['dtype'] == 'F32', (name, meta['dtype'])
            begin, end = meta['data_offsets']
            values = np.frombuffer(data[begin:end], dtype='<f4').reshape(meta['shape'])
            tensors[name] = torch.from_numpy(values.copy())
    return tensors


class CachedLlama(torch.nn.Module):
    """LlamaForCausalLM with a key/value cache, float32, eager attention (modeling_llama)."""

    def __init__(self, cfg, weights):
        super().__init__()
        self.cfg = cfg
        self.heads = cfg['num_attention_heads']
        self.kv_heads = cfg.get('num_key_value_heads', self.heads)
        self.head_dim = cfg.get('head_dim') or cfg['hidden_size'] // self.heads
        # Parameter names cannot hold dots; forward maps them back to the checkpoint's names.
        self.names = sorted(weights)
        self.weights = torch.nn.ParameterDict(
            {n.replace('.', '/'): torch.nn.Parameter(w, requires_grad=False) for n, w in weights.items()})
        self.register_buffer('inv_freq', mc.rope_inv_freq(cfg, self.head_dim).float())

    def forward(self, input_ids, attention_mask, position_ids, *past):
        W = {n: self.weights[n.replace('.', '/')] for n in self.names}
        cfg, nh, nkv, dh = self.cfg, self.heads, self.kv_heads, self.head_dim
        eps = cfg['rms_norm_eps']
        B, S = input_ids.shape
        freqs = position_ids[:, :, None].float() * self.inv_freq
        emb = torch.cat((freqs, freqs), dim=-1)[:, None]
        cos, sin = emb.cos(), emb.sin()
        bias = self.causal_bias(attention_mask, S)
        x = W[PREFIX + 'embed_tokens.weight'][input_ids]
        present = []
        for i in range(cfg['num_hidden_layers']):
            l_ = f'{PREFIX}layers.{i}.'
            h = mc.rms_norm(x, W[l_ + 'input_layernorm.weight'], eps)
            q = mc.linear(h, W[l_ + 'self_attn.q_proj.weight']).view(B, S, nh, dh).transpose(1, 2)
            k = mc.linear(h, W[l_ + 'self_attn.k_proj.weight']).view(B, S, nkv, dh).transpose(1, 2)
            v = mc.linear(h, W[l_ + 'self_attn.v_proj.weight']).view(B, S, nkv, dh).transpose(1, 2)
            q = q * cos + mc.rotate_half(q) * sin
            k = torch.cat((past[2 * i], k * cos + mc.rotate_half(k) * sin), dim=2)
            v = torch.cat((past[2 * i + 1], v), dim=2)
            present += [k, v]
            scores = (q @ self.repeat_kv(k).transpose(-1, -2)) * dh ** -0.5 + bias
            ctx = (torch.softmax(scores, dim=-1) @ self.repeat_kv(v)).transpose(1, 2).reshape(B, S, nh * dh)
            x = x + mc.linear(ctx, W[l_ + 'self_attn.o_proj.weight'])
            h = mc.rms_norm(x, W[l_ + 'post_attention_layernorm.weight'], eps)
            m = mc.gelu(mc.linear(h, W[l_ + 'mlp.gate_proj.weight']), cfg['hidden_act'])
            x = x + mc.linear(m * mc.linear(h, W[l_ + 'mlp.up_proj.weight']), W[l_ + 'mlp.down_proj.weight'])
        x = mc.rms_norm(x, W[PREFIX + 'norm.weight'], eps)
        return (mc.lm_logits(cfg, W, PREFIX, x), *present)

    @staticmethod
    def causal_bias(attention_mask, S):
        """[B, 1, S, total]: query i sits at index past + i (HF's cache_position) and sees keys up to
        it that the mask keeps; finfo(float32).min elsewhere."""
        total = attention_mask.shape[1]
        keys = torch.arange(total)
        queries = keys[total - S:]
        allowed = (keys[None, :] <= queries[:, None])[None, None] & attention_mask.bool()[:, None, None, :]
        return torch.zeros(allowed.shape).masked_fill(~allowed, mc.F32_MIN)

    def repeat_kv(self, t):
        """modeling_llama.repeat_kv: query head h uses kv head h // (heads / kv_heads)."""
        B, _, T, dh = t.shape
        rep = self.heads // self.kv_heads
        return t[:, :, None].expand(B, self.kv_heads, rep, T, dh).reshape(B, self.heads, T, dh)

    def empty_past(self, batch):
        return [torch.zeros(batch, self.kv_heads, 0, self.head_dim) for _ in range(2 * self.cfg['num_hidden_layers'])]


def hf_positions(mask):
    """Hugging Face generate's position_ids: cumsum(mask) - 1, and 1 at padding."""
    return (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1)


def run(model, ids, mask, past):
    """One call on the new tokens `ids` after `past`; mask covers past and new positions."""
    S = ids.shape[1]
    logits, *present = model(ids, mask, hf_positions(mask)[:, -S:], *past)
    return logits, present


def decode(model, ids, steps):
    """Logits of `ids` fed in chunks [from, to) with the cache carried over, concatenated."""
    past, chunks = model.empty_past(ids.shape[0]), []
    for start, end in steps:
        logits, past = run(model, ids[:, start:end], torch.ones(ids.shape[0], end, dtype=torch.int64), past)
        chunks.append(logits)
    return torch.cat(chunks, dim=1)


def padded_batch(ids, pad_id):
    """The left-padded batch and the next token of each row."""
    width = max(PADDED_LENGTHS)
    rows, masks = [], []
    for row, n in enumerate(PADDED_LENGTHS):
        rows.append([pad_id] * (width - n) + ids[row, :n].tolist())
        masks.append([0] * (width - n) + [1] * n)
    following = [[ids[row, n].item()] for row, n in enumerate(PADDED_LENGTHS)]
    return torch.tensor(rows), torch.tensor(masks), torch.tensor(following)


def export(model, path):
    """torch.onnx.export with Optimum's names and axes (text-generation-with-past, llama)."""
    layers = model.cfg['num_hidden_layers']
    past_names = [f'past_key_values.{i}.{p}' for i in range(layers) for p in ('key', 'value')]
    present_names = [f'present.{i}.{p}' for i in range(layers) for p in ('key', 'value')]
    axes = {'input_ids': {0: 'batch_size', 1: 'sequence_length'},
            'attention_mask': {0: 'batch_size', 1: 'total_sequence_length'},
            'position_ids': {0: 'batch_size', 1: 'sequence_length'},
            'logits': {0: 'batch_size', 1: 'sequence_length'},
            **{n: {0: 'batch_size', 2: 'past_sequence_length'} for n in past_names},
            **{n: {0: 'batch_size', 2: 'total_sequence_length'} for n in present_names}}
    # Traced with a non-empty past so that no size is fixed at 0 or 1.
    batch, past_length, length = 2, 3, 2
    ids = torch.tensor([[3, 17], [6, 2]])
    mask = torch.ones(batch, past_length + length, dtype=torch.int64)
    past = [torch.randn(batch, model.kv_heads, past_length, model.head_dim, generator=torch.Generator().manual_seed(i))
            for i in range(2 * layers)]
    torch.onnx.export(model, (ids, mask, hf_positions(mask)[:, -length:], *past), path,
                      input_names=['input_ids', 'attention_mask', 'position_ids', *past_names],
                      output_names=['logits', *present_names], dynamic_axes=axes, opset_version=OPSET,
                      do_constant_folding=True)


def rounded(t):
    return [round(v, 7) for v in t.flatten().tolist()]


def main():
    with open(os.path.join(SOURCE, 'config.json')) as f:
        cfg = json.load(f)
    weights = read_safetensors(SOURCE)
    model = CachedLlama(cfg, weights).eval()
    ids = mc.generation_inputs()
    B, S = ids.shape
    steps = [(0, PREFIX_LENGTH)] + [(t, t + 1) for t in range(PREFIX_LENGTH, S)]
    pad_ids, pad_mask, following = padded_batch(ids, cfg['pad_token_id'])
    with torch.no_grad():
        full, _ = run(model, ids, torch.ones_like(ids), model.empty_past(B))
        incremental = decode(model, ids, steps)
        padded, past = run(model, pad_ids, pad_mask, model.empty_past(B))
        next_mask = torch.cat((pad_mask, torch.ones_like(following)), dim=1)
        padded_next, _ = run(model, following, next_mask, past)
        # The float32 module against make_checkpoints.py's float64 reference of the same checkpoint.
        W64 = {k: v.double() for k, v in weights.items()}
        reference = mc.lm_logits(cfg, W64, PREFIX, mc.llama_forward(cfg, W64, PREFIX, ids, torch.ones_like(ids))[0])
    assert (full.double() - reference).abs().max() < 1e-4
    assert (incremental - full).abs().max() < 1e-5
    # Padding must not change the logits at the real positions.
    for row, n in enumerate(PADDED_LENGTHS):
        width = pad_ids.shape[1]
        assert (padded[row, width - n:] - full[row, :n]).abs().max() < 1e-5
        assert (padded_next[row, 0] - full[row, n]).abs().max() < 1e-5

    os.makedirs(os.path.join(OUT, 'onnx'), exist_ok=True)
    for name in ('config.json', 'tokenizer.json'):
        shutil.copyfile(os.path.join(SOURCE, name), os.path.join(OUT, name))
    export(model, os.path.join(OUT, 'onnx', 'model.onnx'))
    golden = {
        'generator': 'scripts/golden/build/export_optimum_style.py',
        'versions': {'python': sys.version.split()[0], 'torch': torch.__version__, 'numpy': np.__version__},
        'shape': [B, S, cfg['vocab_size']],
        'inputs': {'input_ids': ids.tolist()},
        'logits': rounded(full),
        'incremental': {'steps': steps, 'logits': rounded(incremental)},
        'padded': {'input_ids': pad_ids.tolist(), 'attention_mask': pad_mask.tolist(),
                   'position_ids': hf_positions(pad_mask).tolist(), 'logits': rounded(padded),
                   'next_input_ids': following.tolist(), 'next_logits': rounded(padded_next)},
    }
    with open(os.path.join(OUT, 'golden.json'), 'w') as f:
        json.dump(golden, f)
        f.write('\n')
    size = sum(os.path.getsize(os.path.join(d, n)) for d, _, files in os.walk(OUT) for n in files)
    print(f'optimum-llama: max |float32 - float64 reference| {(full.double() - reference).abs().max():.2e}, '
          f'{size} bytes')


if __name__ == '__main__':
    main()
