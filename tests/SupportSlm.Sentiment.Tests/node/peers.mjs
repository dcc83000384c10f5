// Peers for `supportslm sentiment eval` and `supportslm bench sentiment`: VADER (vader-sentiment) and AFINN-165 (sentiment).
//   node peers.mjs score < texts.jsonl      -> one line per text: {"vader": compound, "afinn": comparative}
//   node peers.mjs bench < texts.jsonl      -> one JSON object: per-message latency percentiles and throughput per peer
// Input: one JSON string per line.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const vader = require('vader-sentiment');
const Sentiment = require('sentiment');
const afinn = new Sentiment();

const texts = readFileSync(0, 'utf8').split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line));
const peers = {
  vader: (text) => vader.SentimentIntensityAnalyzer.polarity_scores(text).compound,
  afinn: (text) => afinn.analyze(text).comparative,
};

const mode = process.argv[2];
if (mode === 'score') {
  const lines = texts.map((text) => JSON.stringify({ vader: peers.vader(text), afinn: peers.afinn(text) }));
  process.stdout.write(lines.join('\n') + '\n');
} else if (mode === 'bench') {
  const result = {};
  for (const [name, score] of Object.entries(peers)) {
    for (let i = 0; i < Math.min(texts.length, 500); i++) score(texts[i]); // warm-up: let V8 optimize first
    const latencies = [];
    const start = process.hrtime.bigint();
    for (const text of texts) {
      const t0 = process.hrtime.bigint();
      score(text);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const totalMs = Number(process.hrtime.bigint() - start) / 1e6;
    latencies.sort((a, b) => a - b);
    const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    result[name] = { p50: pick(0.5), p95: pick(0.95), p99: pick(0.99), perSecond: (texts.length / totalMs) * 1000 };
  }
  process.stdout.write(JSON.stringify(result) + '\n');
} else {
  process.stderr.write('usage: node peers.mjs score|bench < texts.jsonl\n');
  process.exit(2);
}
