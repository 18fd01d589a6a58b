// Drives the model gateway with the official TypeScript SDKs (openai, @anthropic-ai/sdk), unchanged, as a client would.
// Usage: GATEWAY_NODE_DIR=.peers/gateway-node node sdk-check.mjs <gateway base URL> (the SDKs resolve from that folder).
// Prints one JSON object per scenario per line; the Java test GatewaySdkIT asserts on the values.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.GATEWAY_NODE_DIR || process.cwd(), 'noop.js'));
const OpenAI = require('openai').default ?? require('openai');
const Anthropic = require('@anthropic-ai/sdk').default ?? require('@anthropic-ai/sdk');

const BASE = process.argv[2].replace(/\/$/, '');
const oa = new OpenAI({ baseURL: BASE + '/v1', apiKey: 'sk-acme', maxRetries: 0, timeout: 20000 });
const an = new Anthropic({ baseURL: BASE, apiKey: 'sk-acme', maxRetries: 0, timeout: 20000 });
const WEATHER_OA = [{ type: 'function', function: { name: 'get_weather', description: 'Weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
const WEATHER_AN = [{ name: 'get_weather', description: 'Weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } } } }];
const USER = [{ role: 'user', content: 'hi' }];

const scenarios = {
  async openai_chat() {
    const r = await oa.chat.completions.create({ model: 'chat', messages: USER });
    return { text: r.choices[0].message.content, prompt_tokens: r.usage.prompt_tokens };
  },
  async openai_stream_with_usage() {
    let text = '', usage = null;
    const stream = await oa.chat.completions.create({ model: 'chat', messages: USER, stream: true,
      stream_options: { include_usage: true } });
    for await (const chunk of stream) {
      if (chunk.choices?.[0]?.delta?.content) text += chunk.choices[0].delta.content;
      if (chunk.usage) usage = chunk.usage.completion_tokens;
    }
    return { text, completion_tokens: usage };
  },
  async openai_stream_tool_call() {
    const final = await oa.chat.completions.stream({ model: 'chat', messages: USER, tools: WEATHER_OA }).finalChatCompletion();
    const call = final.choices[0].message.tool_calls[0];
    return { name: call.function.name, arguments: JSON.parse(call.function.arguments), finish_reason: final.choices[0].finish_reason };
  },
  async openai_served_by_anthropic() {
    const r = await oa.chat.completions.create({ model: 'claude', messages: USER, tools: WEATHER_OA });
    const call = r.choices[0].message.tool_calls[0];
    return { name: call.function.name, arguments: JSON.parse(call.function.arguments), finish_reason: r.choices[0].finish_reason };
  },
  async openai_stream_served_by_anthropic() {
    const final = await oa.chat.completions.stream({ model: 'claude', messages: USER, tools: WEATHER_OA }).finalChatCompletion();
    const call = final.choices[0].message.tool_calls[0];
    return { name: call.function.name, arguments: JSON.parse(call.function.arguments) };
  },
  async openai_unknown_model() {
    await oa.chat.completions.create({ model: 'no-such-model', messages: USER });
    return {};
  },
  async openai_rate_limited() {
    await oa.chat.completions.create({ model: 'limited', messages: [{ role: 'user', content: 'FAIL429' }] });
    return {};
  },
  async anthropic_message() {
    const r = await an.messages.create({ model: 'claude', max_tokens: 64, messages: USER });
    return { text: r.content[0].text, input_tokens: r.usage.input_tokens, stop_reason: r.stop_reason };
  },
  async anthropic_stream_tool_use() {
    const final = await an.messages.stream({ model: 'claude', max_tokens: 64, messages: USER, tools: WEATHER_AN }).finalMessage();
    const b = final.content[0];
    return { type: b.type, name: b.name, input: b.input, stop_reason: final.stop_reason, output_tokens: final.usage.output_tokens };
  },
  async anthropic_stream_served_by_openai() {
    const final = await an.messages.stream({ model: 'gpt', max_tokens: 64, messages: USER, tools: WEATHER_AN }).finalMessage();
    const b = final.content[0];
    return { type: b.type, name: b.name, input: b.input, stop_reason: final.stop_reason, output_tokens: final.usage.output_tokens };
  },
  async anthropic_text_stream_served_by_openai() {
    const stream = an.messages.stream({ model: 'gpt', max_tokens: 64, messages: USER });
    let text = '';
    stream.on('text', (t) => { text += t; });
    await stream.finalMessage();
    return { text };
  },
  async anthropic_unknown_model() {
    await an.messages.create({ model: 'no-such-model', max_tokens: 5, messages: USER });
    return {};
  },
};

for (const [name, fn] of Object.entries(scenarios)) {
  let out;
  try {
    out = await fn();
  } catch (e) {
    out = { error: e?.constructor?.name ?? String(e), status: e?.status ?? null, message: String(e?.message ?? e).slice(0, 300) };
  }
  out.scenario = name;
  console.log(JSON.stringify(out));
}
