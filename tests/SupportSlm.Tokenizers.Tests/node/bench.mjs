// Peer for `supportslm bench tokenizers`: encode throughput of the official Hugging Face JS tokenizers
// (@huggingface/tokenizers, the engine of transformers.js) on the same corpus lines as the C# side.
// Usage: node bench.mjs <tokenizer.json> <corpus.txt> <rounds>   → JSON {bestSeconds, tokens, bytes}
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';

const [tokenizerPath, corpusPath, rounds = '3'] = process.argv.slice(2);
let config = {};
try { config = JSON.parse(readFileSync(join(dirname(tokenizerPath), 'tokenizer_config.json'), 'utf8')); } catch { /* defaults */ }
const tokenizer = new Tokenizer(JSON.parse(readFileSync(tokenizerPath, 'utf8')), config);
const lines = readFileSync(corpusPath, 'utf8').split('\n');
const bytes = Buffer.byteLength(lines.join('\n'), 'utf8');

let best = Infinity;
let tokens = 0;
for (let r = 0; r < Number(rounds); r++) {
  const start = process.hrtime.bigint();
  let count = 0;
  for (const line of lines) count += tokenizer.encode(line, { add_special_tokens: false }).ids.length;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  best = Math.min(best, seconds);
  tokens = count;
}
process.stdout.write(JSON.stringify({ bestSeconds: best, tokens, bytes }));
