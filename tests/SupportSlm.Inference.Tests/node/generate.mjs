// Peer for `supportslm bench inference`: onnxruntime-node 1.30.0 running the same greedy KV-cache loop as
// SupportSlm.Inference on a legacy GPT-2 export (past_N / present_N, int32 ids), batch 1.
// Usage: node generate.mjs <past.onnx> <comma-separated prompt ids> <new tokens> <rounds>
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');

const [modelPath, promptArg, tokensArg, roundsArg] = process.argv.slice(2);
const prompt = promptArg.split(',').map(Number);
const newTokens = Number(tokensArg);
const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
const layers = session.inputNames.filter((n) => n.startsWith('past_')).length;
const vocab = 1000;

async function generate() {
  const start = process.hrtime.bigint();
  let ids = prompt;
  let pastLength = 0;
  let past = Array.from({ length: layers }, () => new ort.Tensor('float32', new Float32Array(0), [2, 1, 4, 0, 8]));
  const tokens = [];
  let firstTokenMs = 0;
  while (tokens.length < newTokens) {
    const total = pastLength + ids.length;
    const feeds = {
      input_ids: new ort.Tensor('int32', Int32Array.from(ids), [1, ids.length]),
      position_ids: new ort.Tensor('int32', Int32Array.from(ids.map((_, i) => pastLength + i)), [1, ids.length]),
      attention_mask: new ort.Tensor('int32', new Int32Array(total).fill(1), [1, total]),
    };
    past.forEach((p, i) => { feeds[`past_${i}`] = p; });
    const out = await session.run(feeds);
    const logits = out.logits.data;
    const offset = (ids.length - 1) * vocab;
    let best = 0;
    for (let v = 1; v < vocab; v++) if (logits[offset + v] > logits[offset + best]) best = v;
    tokens.push(best);
    if (tokens.length === 1) firstTokenMs = Number(process.hrtime.bigint() - start) / 1e6;
    past = Array.from({ length: layers }, (_, i) => out[`present_${i}`]);
    pastLength = total;
    ids = [best];
  }
  const totalMs = Number(process.hrtime.bigint() - start) / 1e6;
  return { firstTokenMs, decodeTokensPerSecond: (newTokens - 1) / ((totalMs - firstTokenMs) / 1000), tokens };
}

await generate(); // warm-up
const runs = [];
for (let r = 0; r < Number(roundsArg); r++) runs.push(await generate());
runs.sort((a, b) => a.decodeTokensPerSecond - b.decodeTokensPerSecond);
const median = runs[Math.floor(runs.length / 2)];
console.log(JSON.stringify({ node: process.version, ...median }));
