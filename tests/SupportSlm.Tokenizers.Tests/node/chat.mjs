// Reference peer for chat formatting: renders a conversation with a model's own Jinja chat_template (from its
// tokenizer_config.json) through @huggingface/jinja, the template engine transformers.js uses, passing the special
// tokens as transformers.js does.
// Usage: node chat.mjs <tokenizer_config.json> <conversation.json> [addGenerationPrompt=0|1]
// conversation.json is [{role, content}, ...]; prints the rendered prompt as a JSON string.
import { readFileSync } from 'node:fs';
import { Template } from '@huggingface/jinja';

const [configPath, conversationPath, addGenerationPrompt = '1'] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const content = (token) => (token && typeof token === 'object' ? token.content : token) ?? null;
const specials = Object.fromEntries(['bos_token', 'eos_token', 'unk_token', 'pad_token', 'sep_token', 'cls_token', 'mask_token']
  .map((name) => [name, content(config[name])]));
const messages = JSON.parse(readFileSync(conversationPath, 'utf8'));
const prompt = new Template(config.chat_template).render({ messages, add_generation_prompt: addGenerationPrompt === '1', ...specials });
process.stdout.write(JSON.stringify(prompt));
