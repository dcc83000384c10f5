// Reference peer: encodes and decodes lines with the official Hugging Face JS tokenizers (offline, local files).
// Usage: node encode.mjs <tokenizer.json> <lines.json> [addSpecialTokens=0|1]
// lines.json is a JSON array of strings; prints a JSON array of {ids, decoded, decodedSkip} per line.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';

const [tokenizerPath, linesPath, addSpecial = '0'] = process.argv.slice(2);
const configPath = join(dirname(tokenizerPath), 'tokenizer_config.json');
let config = {};
try { config = JSON.parse(readFileSync(configPath, 'utf8')); } catch { /* no tokenizer_config.json: library defaults */ }
const tokenizer = new Tokenizer(JSON.parse(readFileSync(tokenizerPath, 'utf8')), config);
const lines = JSON.parse(readFileSync(linesPath, 'utf8'));
const results = lines.map((line) => {
  const { ids } = tokenizer.encode(line, { add_special_tokens: addSpecial === '1' });
  const decoded = ids.length ? tokenizer.decode(ids, { skip_special_tokens: false }) : '';
  const decodedSkip = ids.length ? tokenizer.decode(ids, { skip_special_tokens: true }) : '';
  return { ids, decoded, decodedSkip };
});
process.stdout.write(JSON.stringify(results));
