// Drives the official `openai` npm client against our OpenAI-compatible endpoint.
// Usage: node openai-client.mjs <baseURL e.g. http://127.0.0.1:5000/v1> <apiKey> <model> <question>
// Prints one JSON line: {"models":[...], "completion", "streamed", "chunks"}; exits 1 on failure.
import OpenAI from 'openai';

const [baseURL, apiKey, model, question] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 20000 });
try {
  const models = [];
  for await (const m of client.models.list()) models.push(m.id);

  const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: question }] });

  const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: question }], stream: true });
  let streamed = '';
  let chunks = 0;
  let finish = null;
  for await (const chunk of stream) {
    chunks++;
    streamed += chunk.choices[0]?.delta?.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  console.log(JSON.stringify({ models, completion: completion.choices[0].message.content, role: completion.choices[0].message.role, streamed, chunks, finish }));
} catch (e) {
  console.log(JSON.stringify({ error: String(e), status: e.status ?? null }));
  process.exit(1);
}
