"""Drives the model gateway with the official Python SDKs (openai, anthropic), unchanged, as a client would.

Usage: python sdk_check.py <gateway base URL, e.g. http://127.0.0.1:8080>
Prints one JSON object per scenario on its own line: {"scenario": ..., ...observed values} or {"scenario": ..., "error": ...}.
The Java test GatewaySdkIT runs it and asserts on the values.
"""
import json
import sys
import traceback

import anthropic
import openai

BASE = sys.argv[1].rstrip("/")
oa = openai.OpenAI(base_url=BASE + "/v1", api_key="sk-acme", max_retries=0, timeout=20)
an = anthropic.Anthropic(base_url=BASE, api_key="sk-acme", max_retries=0, timeout=20)
WEATHER_OA = [{"type": "function", "function": {"name": "get_weather", "description": "Weather in a city",
                                                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]
WEATHER_AN = [{"name": "get_weather", "description": "Weather in a city",
               "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}]
USER = [{"role": "user", "content": "hi"}]


def scenario(fn):
    try:
        out = fn()
    except Exception as e:  # report, the Java side asserts
        out = {"error": type(e).__name__, "status": getattr(e, "status_code", None), "message": str(e)[:300],
               "trace": traceback.format_exc()[-600:]}
    out["scenario"] = fn.__name__
    print(json.dumps(out), flush=True)


def openai_chat():
    r = oa.chat.completions.create(model="chat", messages=USER)
    return {"text": r.choices[0].message.content, "prompt_tokens": r.usage.prompt_tokens}


def openai_stream_with_usage():
    text, usage = "", None
    for chunk in oa.chat.completions.create(model="chat", messages=USER, stream=True,
                                            stream_options={"include_usage": True}):
        if chunk.choices and chunk.choices[0].delta.content:
            text += chunk.choices[0].delta.content
        if chunk.usage:
            usage = chunk.usage.completion_tokens
    return {"text": text, "completion_tokens": usage}


def openai_stream_tool_call():
    with oa.chat.completions.stream(model="chat", messages=USER, tools=WEATHER_OA) as stream:
        final = stream.get_final_completion()
    call = final.choices[0].message.tool_calls[0]
    return {"name": call.function.name, "arguments": json.loads(call.function.arguments),
            "finish_reason": final.choices[0].finish_reason}


def openai_served_by_anthropic():
    r = oa.chat.completions.create(model="claude", messages=USER, tools=WEATHER_OA)
    call = r.choices[0].message.tool_calls[0]
    return {"name": call.function.name, "arguments": json.loads(call.function.arguments),
            "finish_reason": r.choices[0].finish_reason}


def openai_stream_served_by_anthropic():
    with oa.chat.completions.stream(model="claude", messages=USER, tools=WEATHER_OA) as stream:
        final = stream.get_final_completion()
    call = final.choices[0].message.tool_calls[0]
    return {"name": call.function.name, "arguments": json.loads(call.function.arguments)}


def openai_unknown_model():
    oa.chat.completions.create(model="no-such-model", messages=USER)
    return {}


def openai_rate_limited():
    oa.chat.completions.create(model="limited", messages=[{"role": "user", "content": "FAIL429"}])
    return {}


def anthropic_message():
    r = an.messages.create(model="claude", max_tokens=64, messages=USER)
    return {"text": r.content[0].text, "input_tokens": r.usage.input_tokens, "stop_reason": r.stop_reason}


def anthropic_stream_tool_use():
    with an.messages.stream(model="claude", max_tokens=64, messages=USER, tools=WEATHER_AN) as stream:
        final = stream.get_final_message()
    block = final.content[0]
    return {"type": block.type, "name": block.name, "input": block.input, "stop_reason": final.stop_reason,
            "output_tokens": final.usage.output_tokens}


def anthropic_stream_served_by_openai():
    with an.messages.stream(model="gpt", max_tokens=64, messages=USER, tools=WEATHER_AN) as stream:
        final = stream.get_final_message()
    block = final.content[0]
    return {"type": block.type, "name": block.name, "input": block.input, "stop_reason": final.stop_reason,
            "output_tokens": final.usage.output_tokens}


def anthropic_text_stream_served_by_openai():
    with an.messages.stream(model="gpt", max_tokens=64, messages=USER) as stream:
        text = "".join(stream.text_stream)
    return {"text": text}


def anthropic_unknown_model():
    an.messages.create(model="no-such-model", max_tokens=5, messages=USER)
    return {}


for s in [openai_chat, openai_stream_with_usage, openai_stream_tool_call, openai_served_by_anthropic,
          openai_stream_served_by_anthropic, openai_unknown_model, openai_rate_limited, anthropic_message,
          anthropic_stream_tool_use, anthropic_stream_served_by_openai, anthropic_text_stream_served_by_openai,
          anthropic_unknown_model]:
    scenario(s)
