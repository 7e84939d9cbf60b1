import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentConfigSchema, loadWorkspaceContext, type Message, type MessageEvent, openPersistedRuntime } from '../src/index.js';
import { mock, ScriptedLLM } from '../src/testing/index.js';
import { createConversation, tempDir } from './helpers.js';

/** Repository instructions reach the system prompt; a skill's trigger word activates it, and the events say so. */

const text = (message: Message) => message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');

function workspace(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'AGENTS.md'), '# Notes for agents\nAlways run `pnpm lint` before you finish.\n');
  mkdirSync(join(dir, '.agents/skills'), { recursive: true });
  writeFileSync(join(dir, '.agents/skills/deploy.md'), '---\ntriggers: [deploy]\n---\nDeploys go through `make release`; never push tags by hand.\n');
  return dir;
}

const agentWith = (agentContext: unknown = {}) => AgentConfigSchema.parse({ llm: { model: 'openai/mock-model' }, agentContext });

describe('repository instructions and skills in a conversation', () => {
  it("puts AGENTS.md in the first model request's system prompt", async () => {
    const dir = workspace();
    const llm = new ScriptedLLM([mock.text('ok')]);
    const { runtime } = createConversation(llm, [], { agent: agentWith(), workspace: dir, workspaceContext: await loadWorkspaceContext(dir, { loadProjectSkills: true }) });
    await runtime.sendMessage('Hello');
    await runtime.run();
    const [system] = llm.requests[0]!;
    expect(system!.role).toBe('system');
    expect(text(system!)).toContain('Always run `pnpm lint` before you finish.');
    expect(text(system!)).toContain('source="AGENTS.md"');
    // Knowledge skills are not in the system prompt: they come with the message that triggers them.
    expect(text(system!)).not.toContain('make release');
  });

  it('activates a skill when a user message contains its trigger, once per conversation, and records it', async () => {
    const dir = workspace();
    const llm = new ScriptedLLM([mock.text('ok'), mock.text('ok again')]);
    const { runtime } = createConversation(llm, [], { agent: agentWith({ userMessageSuffix: 'Answer in English.' }), workspace: dir, workspaceContext: await loadWorkspaceContext(dir, { loadProjectSkills: true }) });
    await runtime.sendMessage('Please Deploy the app.');
    await runtime.run();
    const first = runtime.events.find((event): event is MessageEvent => event.kind === 'MessageEvent' && event.source === 'user')!;
    expect(first.activated_skills).toEqual(['deploy']);
    expect(first.extended_content[0]!.text).toContain('make release');
    expect(first.extended_content[0]!.text).toContain('"deploy"');
    expect(first.extended_content[0]!.text).toMatch(/Answer in English\.$/);
    expect(runtime.snapshot().activatedKnowledgeSkills).toEqual(['deploy']);
    expect(text(llm.requests[0]!.at(-1)!)).toContain('make release');

    await runtime.sendMessage('deploy again');
    const second = runtime.events.filter((event): event is MessageEvent => event.kind === 'MessageEvent' && event.source === 'user')[1]!;
    expect(second.activated_skills).toEqual([]);
    expect(second.extended_content.map((part) => part.text)).toEqual(['Answer in English.']);
  });

  it("activates the agent context's own skills, and adds its system message suffix", async () => {
    const llm = new ScriptedLLM([mock.text('ok')]);
    const agent = agentWith({ skills: [{ name: 'k8s', content: 'Use kubectl --context prod.', triggers: ['kubernetes'] }], systemMessageSuffix: 'SUFFIX-FROM-CONTEXT' });
    const { runtime } = createConversation(llm, [], { agent });
    await runtime.sendMessage('Scale the Kubernetes cluster');
    await runtime.run();
    expect(text(llm.requests[0]![0]!)).toMatch(/SUFFIX-FROM-CONTEXT$/);
    const message = runtime.events.find((event): event is MessageEvent => event.kind === 'MessageEvent')!;
    expect(message.activated_skills).toEqual(['k8s']);
  });

  it('keeps the activated skills in state.json and across a restart', async () => {
    const dir = workspace();
    const conversationDir = join(tempDir(), 'c');
    const options = async () => ({
      id: 'skills',
      conversationDir,
      agent: agentWith(),
      llm: new ScriptedLLM([mock.text('ok'), mock.text('ok')]),
      tools: [],
      workspace: dir,
      workspaceContext: await loadWorkspaceContext(dir, { loadProjectSkills: true }),
    });
    const first = (await openPersistedRuntime(await options())).runtime;
    await first.sendMessage('deploy it');
    await first.close();
    expect(JSON.parse(readFileSync(join(conversationDir, 'state.json'), 'utf8')).activated_knowledge_skills).toEqual(['deploy']);
    const again = (await openPersistedRuntime(await options())).runtime;
    expect(again.snapshot().activatedKnowledgeSkills).toEqual(['deploy']);
    await again.sendMessage('deploy once more');
    expect((again.events.at(-1) as MessageEvent).activated_skills).toEqual([]);
    await again.close();
  });
});
