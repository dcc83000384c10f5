// Makes a real SentencePiece-style Unigram tokenizer.json with the Rust reference's own Unigram trainer (npm
// "tokenizers"): NFKC normalizer, Metaspace pre-tokenizer and decoder, pieces and scores learned from a corpus file.
// The trainer writes no unknown piece, so one is added at id 0 (score 0, as SentencePiece stores it), plus the 256
// byte pieces when byte fallback is asked for, and <s>/</s> with a TemplateProcessing post-processor.
// Usage: node train-unigram.mjs <corpus.txt> <out tokenizer.json> <byteFallback=0|1>
import { readFileSync, writeFileSync } from 'node:fs';
import tokenizers from 'tokenizers';

const { Tokenizer, Unigram, metaspacePreTokenizer, metaspaceDecoder, nfkcNormalizer } = tokenizers;
const [corpusPath, outPath, byteFallback = '0'] = process.argv.slice(2);
const trained = new Tokenizer(Unigram.init([['<unk>', 0]], { unkId: 0 }));
trained.setNormalizer(nfkcNormalizer());
trained.setPreTokenizer(metaspacePreTokenizer());
trained.setDecoder(metaspaceDecoder());
trained.train([corpusPath]);
trained.save(outPath, false);

const json = JSON.parse(readFileSync(outPath, 'utf8'));
const bytes = byteFallback === '1' ? Array.from({ length: 256 }, (_, b) => [`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, 0]) : [];
json.model.vocab = [['<unk>', 0], ['<s>', 0], ['</s>', 0], ...bytes, ...json.model.vocab];
json.model.unk_id = 0;
json.model.byte_fallback = byteFallback === '1';
const special = (id, content) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
json.added_tokens = [special(0, '<unk>'), special(1, '<s>'), special(2, '</s>')];
const token = (id) => ({ SpecialToken: { id, type_id: 0 } });
json.post_processor = {
  type: 'TemplateProcessing',
  single: [token('<s>'), { Sequence: { id: 'A', type_id: 0 } }, token('</s>')],
  pair: [token('<s>'), { Sequence: { id: 'A', type_id: 0 } }, token('</s>'), { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '</s>', type_id: 1 } }],
  special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] }, '</s>': { id: '</s>', ids: [2], tokens: ['</s>'] } },
};
writeFileSync(outPath, JSON.stringify(json));
