// The example's "coder": a createAgent sub-agent that reads and writes files in one project, exposed to the supervisor as a tool.
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { createAgent, tool } from "langchain";
import { z } from "zod";

/** An absolute path inside the project for a relative one; anything escaping the project is refused. */
function inside(projectRoot: string, path: string): string {
  const full = resolve(projectRoot, path);
  const rel = relative(projectRoot, full);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) throw new Error(`${path} is not a file inside the project`);
  return full;
}

/** The coder's file tools, confined to the project; errors come back as text the model can act on. */
export function createFileTools(projectRoot: string) {
  const guarded =
    <A>(run: (args: A) => Promise<string>) =>
    async (args: A): Promise<string> => {
      try {
        return await run(args);
      } catch (e) {
        return `error: ${e instanceof Error ? e.message : String(e)}`;
      }
    };
  return [
    tool(
      guarded(async ({ dir }: { dir?: string | undefined }) => {
        const entries = await readdir(dir === undefined ? projectRoot : inside(projectRoot, dir), { withFileTypes: true });
        return entries.map((e) => (e.isDirectory() ? `${e.name}/` : e.name)).join("\n");
      }),
      {
        name: "list_files",
        description: "List a directory of the project.",
        schema: z.object({ dir: z.string().optional().describe("Directory relative to the project root; omit for the root.") }),
      },
    ),
    tool(
      guarded(async ({ path }: { path: string }) => readFile(inside(projectRoot, path), "utf8")),
      {
        name: "read_file",
        description: "Read a project file.",
        schema: z.object({ path: z.string().describe("File path relative to the project root.") }),
      },
    ),
    tool(
      guarded(async ({ path, content }: { path: string; content: string }) => {
        const full = inside(projectRoot, path);
        await mkdir(dirname(full), { recursive: true });
        await writeFile(full, content);
        return `wrote ${path} (${content.length} characters)`;
      }),
      {
        name: "write_file",
        description: "Create or overwrite a project file.",
        schema: z.object({
          path: z.string().describe("File path relative to the project root."),
          content: z.string().describe("The whole new file content."),
        }),
      },
    ),
  ];
}

/** The coder sub-agent: writes the code and tests a task asks for, and does not run them (redgreen does that). */
export function createCoderAgent(options: { model: BaseChatModel; projectRoot: string }) {
  return createAgent({
    model: options.model,
    tools: createFileTools(options.projectRoot),
    systemPrompt:
      "You are a Python developer. Implement the task by writing the module and its pytest tests with write_file. " +
      "Do not try to run the tests. Answer with one sentence naming the files you wrote.",
    name: "coder",
  });
}

/** The coder agent as the supervisor's `coder` tool: the task in, the coder's final answer out. */
export function createCoderTool(coder: ReturnType<typeof createCoderAgent>) {
  return tool(
    async ({ task }: { task: string }) => {
      const out = await coder.invoke({ messages: [{ role: "user", content: task }] });
      const last = out.messages.at(-1);
      return typeof last?.content === "string" ? last.content : JSON.stringify(last?.content ?? "");
    },
    {
      name: "coder",
      description: "Hand a coding task to the coder agent, which writes the code and tests into the project. Returns what it wrote.",
      schema: z.object({ task: z.string().describe("What to implement, with the file names and behaviour expected.") }),
    },
  );
}
