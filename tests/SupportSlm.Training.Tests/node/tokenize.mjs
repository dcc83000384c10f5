// Peer for HfTokenizerJsonTests: Hugging Face tokenizers.js loads an exported folder's tokenizer.json +
// tokenizer_config.json and encodes/decodes the strings given as a JSON array on stdin.
// Usage: node tokenize.mjs <model folder>  <  ["text", ...]   →   [{"ids": [...], "text": "..."}, ...]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";

const folder = process.argv[2];
const tokenizerJson = JSON.parse(readFileSync(join(folder, "tokenizer.json"), "utf8"));
const tokenizerConfig = JSON.parse(readFileSync(join(folder, "tokenizer_config.json"), "utf8"));
const tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
const texts = JSON.parse(readFileSync(0, "utf8"));
const results = texts.map((text) => {
  const ids = tokenizer.encode(text).ids;
  return { ids, text: tokenizer.decode(ids, { skip_special_tokens: true }) };
});
process.stdout.write(JSON.stringify(results));
