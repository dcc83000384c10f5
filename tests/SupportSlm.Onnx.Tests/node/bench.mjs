// Peer for `supportslm bench onnx`: the official ONNX Runtime Node binding (onnxruntime-node 1.30.0, same native
// libonnxruntime.so.1) timing the same models with the same inputs and session settings as the C# side.
// Usage: node bench.mjs <tiny.onnx> <gpt2.onnx> <tinyIterations> <gpt2Iterations> <rounds> <pastLength>
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');

const [tinyPath, gptPath, tinyIterations, gptIterations, rounds, pastLength] = process.argv.slice(2);
const options = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' };

/** Median microseconds per awaited session.run over `rounds` rounds of `iterations` calls. */
async function time(session, feeds, iterations, roundCount) {
  for (let i = 0; i < Math.min(iterations, 500); i++) await session.run(feeds);
  const perCall = [];
  for (let r = 0; r < roundCount; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await session.run(feeds);
    perCall.push(Number(process.hrtime.bigint() - start) / 1000 / iterations);
  }
  perCall.sort((a, b) => a - b);
  return perCall[Math.floor(perCall.length / 2)];
}

// Same deterministic data as OnnxBenchmark.cs.
const pattern = (n) => Float32Array.from({ length: n }, (_, i) => ((i % 17) - 8) * 0.01);

const tiny = await ort.InferenceSession.create(tinyPath, options);
const tinyFeeds = { x: new ort.Tensor('float32', pattern(4), [1, 4]) };

const gpt = await ort.InferenceSession.create(gptPath, options);
const past = Number(pastLength);
const gptFeeds = {
  input_ids: new ort.Tensor('int32', Int32Array.from([98]), [1, 1]),
  position_ids: new ort.Tensor('int32', Int32Array.from([past]), [1, 1]),
  attention_mask: new ort.Tensor('int32', new Int32Array(past + 1).fill(1), [1, past + 1]),
};
for (let layer = 0; layer < 5; layer++) {
  gptFeeds[`past_${layer}`] = new ort.Tensor('float32', pattern(2 * 4 * past * 8), [2, 1, 4, past, 8]);
}

const result = {
  node: process.version,
  tinyMicroseconds: await time(tiny, tinyFeeds, Number(tinyIterations), Number(rounds)),
  gpt2Microseconds: await time(gpt, gptFeeds, Number(gptIterations), Number(rounds)),
};
console.log(JSON.stringify(result));
