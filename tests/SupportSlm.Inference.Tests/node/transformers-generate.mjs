// Peer for `supportslm bench inference`: Hugging Face transformers.js (on onnxruntime-node) generating greedily from
// the same model folder and the same prompt ids, batch 1, one ORT intra-op thread, never stopping at EOS.
// Usage: node transformers-generate.mjs <model folder> <comma-separated prompt ids> <new tokens> <rounds>
// Prints one JSON line: { version, node, firstTokenMs, decodeTokensPerSecond, tokens, rssBytes } or { error }.
import path from 'node:path';
import { AutoModelForCausalLM, BaseStreamer, Tensor, env } from '@huggingface/transformers';

const [folderArg, promptArg, tokensArg, roundsArg] = process.argv.slice(2);
const folder = path.resolve(folderArg);
const prompt = promptArg.split(',').map(BigInt);
const newTokens = Number(tokensArg);

env.allowRemoteModels = false;
env.localModelPath = path.dirname(folder) + path.sep;

class Clock extends BaseStreamer {
  constructor(start) { super(); this.start = start; this.calls = 0; this.firstTokenMs = 0; this.firstCpu = 0; }
  put() {
    // the first call carries the prompt, the second the first generated token
    if (++this.calls === 2) [this.firstTokenMs, this.firstCpu] = [Number(process.hrtime.bigint() - this.start) / 1e6, cpuMs()];
  }
  end() {}
}

let model;
try {
  model = await AutoModelForCausalLM.from_pretrained(path.basename(folder), {
    subfolder: '', model_file_name: 'model', dtype: 'fp32', device: 'cpu',
    session_options: { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' },
  });
} catch (e) {
  console.log(JSON.stringify({ error: String(e?.stack ?? e) }));
  process.exit(0);
}

const input_ids = new Tensor('int64', BigInt64Array.from(prompt), [1, prompt.length]);
const attention_mask = new Tensor('int64', new BigInt64Array(prompt.length).fill(1n), [1, prompt.length]);

const cpuMs = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };

async function generate() {
  const start = process.hrtime.bigint();
  const clock = new Clock(start);
  const out = await model.generate({
    input_ids, attention_mask, max_new_tokens: newTokens, min_new_tokens: newTokens, do_sample: false,
    eos_token_id: [], streamer: clock,
  });
  const totalMs = Number(process.hrtime.bigint() - start) / 1e6;
  const tokens = Array.from(out.data.slice(prompt.length), Number);
  return {
    firstTokenMs: clock.firstTokenMs,
    decodeTokensPerSecond: (tokens.length - 1) / ((totalMs - clock.firstTokenMs) / 1000),
    decodeCpuMsPerToken: (cpuMs() - clock.firstCpu) / (tokens.length - 1),
    tokens,
  };
}

await generate(); // warm-up
const runs = [];
for (let r = 0; r < Number(roundsArg); r++) runs.push(await generate());
// the fastest run (other processes only slow a run down), with the lowest first-token time and CPU cost seen
const best = runs.reduce((a, b) => (b.decodeTokensPerSecond > a.decodeTokensPerSecond ? b : a));
best.firstTokenMs = Math.min(...runs.map((r) => r.firstTokenMs));
best.decodeCpuMsPerToken = Math.min(...runs.map((r) => r.decodeCpuMsPerToken));
const { version } = JSON.parse(await (await import('node:fs/promises')).readFile(new URL('./node_modules/@huggingface/transformers/package.json', import.meta.url)));
console.log(JSON.stringify({ version, node: process.version, ...best, rssBytes: process.memoryUsage().rss }));
