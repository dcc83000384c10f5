// The official `openai` npm client against the host's OpenAI-compatible API.
// Usage: node openai.mjs <baseURL, e.g. http://127.0.0.1:5000/v1> <bot model> <raw model> <question>
// Prints one JSON line {models[], bot{completion, streamed, chunks, finish}, raw{completion, usage}}; exits 1 on failure.
import OpenAI from 'openai';

const [baseURL, botModel, rawModel, question] = process.argv.slice(2);
// No API keys are configured (the host listens on loopback); the client insists on one, the server ignores it.
const client = new OpenAI({ baseURL, apiKey: 'not-checked', maxRetries: 0, timeout: 60000 });
try {
  const models = [];
  for await (const m of client.models.list()) models.push(m.id);

  const completion = await client.chat.completions.create({ model: botModel, messages: [{ role: 'user', content: question }] });
  const stream = await client.chat.completions.create({ model: botModel, messages: [{ role: 'user', content: question }], stream: true });
  let streamed = '';
  let chunks = 0;
  let finish = null;
  for await (const chunk of stream) {
    chunks++;
    streamed += chunk.choices[0]?.delta?.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }

  const raw = await client.chat.completions.create({ model: rawModel, max_tokens: 24, messages: [{ role: 'user', content: 'Once upon a time' }] });
  console.log(JSON.stringify({
    models,
    bot: { completion: completion.choices[0].message.content, role: completion.choices[0].message.role, streamed, chunks, finish },
    raw: { completion: raw.choices[0].message.content, usage: raw.usage ?? null },
  }));
} catch (e) {
  console.log(JSON.stringify({ error: String(e), status: e.status ?? null }));
  process.exit(1);
}
