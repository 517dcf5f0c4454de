// Reading model answers: tool calls, the fenced fallback format, bare JSON, and everything unusable.
import { describe, expect, it } from "vitest";
import { parseFencedBlocks, parseModelAnswer } from "../../../src/fixers/llm/parse-answer.js";

const ok = (answer: Parameters<typeof parseModelAnswer>[0]) => {
  const r = parseModelAnswer(answer);
  if (!r.ok) throw new Error(r.reason);
  return r;
};

describe("parseModelAnswer", () => {
  it("accepts the small deviations models make in tool arguments", () => {
    const r = ok({
      content: "",
      tool_calls: [{ name: "propose_fix", args: { file: "a.py", find: "x = 1", replace: "x = 2", confidence: "80%" } }],
    });
    expect(r.response).toEqual({ edits: [{ file: "a.py", find: "x = 1", replace: "x = 2" }], explanation: "", confidence: 0.8 });
    const s = ok({
      content: "",
      tool_calls: [{ name: "propose_fix", args: { edits: JSON.stringify([{ file: "a.py", find: "a", replace: "b" }]), explanation: "e" } }],
    });
    expect(s.response.confidence).toBe(0.5);
  });

  it("reads several FIND/REPLACE pairs, keeping fence lines that belong to the file text", () => {
    const text = [
      "```redgreen-fix",
      "FILE: docs.py",
      "<<<<<<< FIND",
      'HELP = """',
      "```",
      '"""',
      "=======",
      'HELP = """',
      "```text",
      '"""',
      ">>>>>>> REPLACE",
      "FILE: app/b.py",
      "<<<<<<< FIND",
      "    return None",
      "=======",
      "    return []",
      ">>>>>>> REPLACE",
      "EXPLANATION: first line",
      "continues here",
      "CONFIDENCE: 0.6",
      "```",
      "trailing chatter",
    ].join("\n");
    expect(parseFencedBlocks(text)).toEqual({
      edits: [
        { file: "docs.py", find: 'HELP = """\n```\n"""', replace: 'HELP = """\n```text\n"""' },
        { file: "app/b.py", find: "    return None", replace: "    return []" },
      ],
      explanation: "first line continues here",
      confidence: "0.6",
    });
    expect(ok({ content: text }).via).toBe("fenced_block");
  });

  it("reads a ```json block or a bare JSON answer", () => {
    const json = JSON.stringify({ edits: [{ file: "a.py", find: "1", replace: "2" }], explanation: "e", confidence: 0.4 });
    expect(ok({ content: `Here you go:\n\`\`\`json\n${json}\n\`\`\`` }).via).toBe("json");
    expect(ok({ content: json }).via).toBe("json");
    expect(ok({ content: [{ type: "text", text: json }] }).via).toBe("json");
  });

  it.each([
    [{ content: "" }, "the model returned an empty answer"],
    [{ content: "   \n" }, "the model returned an empty answer"],
    [{ content: "<html>502</html>" }, 'the answer holds neither a propose_fix tool call nor a ```redgreen-fix block: "<html>502</html>"'],
    [
      { content: "", invalid_tool_calls: [{ name: "propose_fix", args: "{edits:", error: "Unexpected token" }] },
      "the propose_fix call had unparseable arguments (Unexpected token)",
    ],
    [
      {
        content: "",
        tool_calls: [
          { name: "propose_fix", args: { edits: [{ file: "a.py", find: "  ", replace: "x" }], explanation: "", confidence: 1 } },
        ],
      },
      'edit 1 has an empty "find": it must be exact text from the file',
    ],
    [
      {
        content: "",
        tool_calls: [{ name: "propose_fix", args: { edits: [{ file: "a.py", find: "x", replace: "x" }], explanation: "", confidence: 1 } }],
      },
      "edit 1 replaces text with itself",
    ],
    [
      { content: "", tool_calls: [{ name: "propose_fix", args: { edits: "nope", explanation: "", confidence: 1 } }] },
      /^the tool call did not match the fix schema \(edits: /,
    ],
    [{ content: "", tool_calls: [{ name: "propose_fix", args: { edits: [], explanation: "", confidence: 7000 } }] }, /confidence/],
    [{ content: "```redgreen-fix\nEXPLANATION: nothing to change\n```" }, "the model proposed no edits"],
    [
      {
        content: "",
        tool_calls: [
          { name: "a", args: {} },
          { name: "b", args: {} },
        ],
      },
      "the model called a, b instead of propose_fix",
    ],
  ])("gives a reason for %j", (answer, reason) => {
    const r = parseModelAnswer(answer);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});
