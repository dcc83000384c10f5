#!/usr/bin/env bash
# Rebuilds the shipped model (models/default) from knowledge/ and ../shared/data, every stage of finetune/README.md in
# order. Each stage is deterministic; a stopped training stage continues with `supportslm train|finetune --resume`.
set -euo pipefail
cd "$(dirname "$0")/.."

supportslm() { dotnet artifacts/supportslm/supportslm.dll "$@"; }
dotnet publish src/SupportSlm.Cli -c Release -o artifacts/supportslm -p:NoWarn=NU1603 --nologo -v quiet

data=finetune/data
# Stage 0: datasets (the grounded examples first: the pre-training corpus takes them whole).
supportslm finetune-data grounded-qa
supportslm finetune-data grounded-qa --seed 8 --sentence-questions 5 --bitext-questions 3000 --decline-share 0.15 --not-covered-share 0.1 --output $data/domain-qa.jsonl
supportslm finetune-data pretrain-corpus --articles knowledge/articles --grounded-qa $data/grounded-qa.jsonl
# Stage 1: the BPE tokenizer, then token shards.
supportslm tokenizer train --corpus $data/pretrain.txt --vocab-size 4096 --out $data/tokenizer.json
for x in pretrain pretrain-eval; do
  supportslm finetune-data shards --tokenizer $data/tokenizer.json --input $data/$x.txt --output $data/$x.tok --max-tokens 768
done
for x in grounded-qa grounded-qa-eval domain-qa domain-qa-eval; do
  supportslm finetune-data shards --tokenizer $data/tokenizer.json --input $data/$x.jsonl --output $data/$x.tok --max-tokens 768
done
# Stages 2-4: pre-training, grounded instruction tuning, the domain LoRA adapter.
supportslm train --config finetune/configs/shipped-base.json
supportslm finetune --config finetune/configs/shipped-grounded.json
supportslm finetune --config finetune/configs/shipped-domain-lora.json
# Stage 5: what int8 costs, then the int8 export with the adapter beside it.
supportslm quantize --model finetune/runs/shipped-grounded/checkpoint.ckpt --data $data/grounded-qa-eval.tok --bits 8 --seq-len 640
supportslm export --checkpoint finetune/runs/shipped-domain-lora/checkpoint.ckpt --tokenizer $data/tokenizer.json --out models/default --int8 --adapter --accuracy-level 4
# Stage 6: the reply-style adapter over the exported int8 base; only its adapter file is kept.
supportslm finetune-data bitext-replies
for x in bitext-replies bitext-replies-eval; do
  supportslm finetune-data shards --tokenizer models/default/tokenizer.json --input $data/$x.jsonl --output $data/$x.tok --max-tokens 768
done
supportslm finetune --config finetune/configs/shipped-bitext-lora.json
supportslm export --checkpoint finetune/runs/shipped-bitext-lora/checkpoint.ckpt --tokenizer models/default/tokenizer.json --out finetune/runs/shipped-bitext-lora/export --int8 --adapter --accuracy-level 4
mkdir -p models/default/adapters
cp finetune/runs/shipped-bitext-lora/export/adapter.onnx_adapter models/default/adapters/bitext-replies.onnx_adapter
