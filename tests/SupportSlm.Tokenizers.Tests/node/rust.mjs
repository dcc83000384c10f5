// Reference peer: the Rust Hugging Face tokenizers through their official Node binding (npm "tokenizers").
// Reports what the JS tokenizers do not: offsets, pair encodings with type ids, and truncation strategies.
// Usage: node rust.mjs <tokenizer.json> <request.json>
// request.json: {"lines": [...], "pairs": [...] | null, "addSpecialTokens": bool,
//                "truncation": {"maxLength": n, "strategy": "LongestFirst|OnlyFirst|OnlySecond", "direction": "Right|Left"} | null}
// Prints a JSON array of {ids, typeIds, offsets, specialTokensMask, attentionMask} per line; offsets count Unicode
// code points (the binding's convention), or {error} where the reference refuses the input.
import { readFileSync } from 'node:fs';
import tokenizers from 'tokenizers';

const [tokenizerPath, requestPath] = process.argv.slice(2);
const request = JSON.parse(readFileSync(requestPath, 'utf8'));
const tokenizer = tokenizers.Tokenizer.fromFile(tokenizerPath);
// The file's own padding and truncation settings would hide what is compared; the request sets truncation.
tokenizer.disablePadding();
tokenizer.disableTruncation();
if (request.truncation) {
  const { maxLength, strategy, direction } = request.truncation;
  tokenizer.setTruncation(maxLength, { strategy, direction: direction.toLowerCase() });
}
const results = [];
for (let i = 0; i < request.lines.length; i++) {
  const pair = request.pairs ? request.pairs[i] : null;
  try {
    const encoding = await tokenizer.encode(request.lines[i], pair, { addSpecialTokens: request.addSpecialTokens });
    results.push({
      ids: encoding.getIds(),
      typeIds: encoding.getTypeIds(),
      offsets: encoding.getOffsets(),
      specialTokensMask: encoding.getSpecialTokensMask(),
      attentionMask: encoding.getAttentionMask(),
    });
  } catch (error) {
    results.push({ error: String(error) });
  }
}
process.stdout.write(JSON.stringify(results));
