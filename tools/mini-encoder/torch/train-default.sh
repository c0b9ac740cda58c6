#!/usr/bin/env bash
# Remakes models/xling-mini-encoder, the default encoder, from the offline UD data in one command:
# the corpus and vocabulary (TypeScript), PPMI piece embeddings, 9,000 steps of piece masking,
# then 7,000 steps of whole-word masking from those weights (Debian's PyTorch, 2 threads, bf16),
# the tokenizer files and model card, and the check of xling's ONNX graph against PyTorch.
# About 2 h 15 min of both cores alone, estimated from 2 steps/s (the shipped run logged 190 min,
# partly beside other work).
# A development tool: users never train the default model.
#
#   bash tools/mini-encoder/torch/train-default.sh WORK [SEED]      (SEED: default 1)
#
# WORK holds the corpus and both runs' checkpoints: rerunning the same command resumes a stopped
# training. The second run's seed is SEED + 1. PYTHON overrides /usr/bin/python3.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: train-default.sh WORK [SEED]" >&2; exit 2; }
W=$(realpath -m "$1")
SEED=${2:-1}
PY=${PYTHON:-/usr/bin/python3}
cd "$(dirname "$0")/../../.."
MODEL=(--batch-size 64 --warmup 300 --layers 4 --hidden 256 --heads 4 --intermediate 1024 --dropout 0.1
  --threads 2 --bf16 --storage fp16 --eval-every 1000)
[ -f "$W/corpus/corpus.json" ] ||
  pnpm --filter @xling/tool-mini-encoder train -- --seed "$SEED" --vocab-size 24000 --export-corpus --work "$W"
[ -f "$W/ppmi-embeddings.npy" ] ||
  "$PY" tools/mini-encoder/torch/ppmi_embeddings.py --work "$W" --dim 256 --seed "$SEED"
[ -f "$W/model/model.safetensors" ] ||
  "$PY" tools/mini-encoder/torch/train_mlm.py --work "$W" --out "$W/model" --seed "$SEED" --steps 9000 --lr 1e-3 \
    "${MODEL[@]}" --init-embeddings "$W/ppmi-embeddings.npy"
mkdir -p "$W/continued"
"$PY" tools/mini-encoder/torch/train_mlm.py --work "$W/continued" --corpus "$W/corpus" --out models/xling-mini-encoder \
  --seed $((SEED + 1)) --steps 7000 --lr 5e-4 "${MODEL[@]}" --init-from "$W/model" --whole-word-masking
pnpm --filter @xling/tool-mini-encoder finish-torch -- --work "$W/continued" --previous "$W"
pnpm --filter @xling/tool-mini-encoder check-onnx -- --golden "$W/continued/torch-train-log.json"
