import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, ConfigError, condenserConversationId, LLM, SkillFileError } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { describe, expect, it } from 'vitest';
import { tempDir, testToolsModule, useRuntime } from './helpers.js';

/** Through a conversation actor: the condenser's own model and cost, condense(), repository instructions and skill files. */

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ server: { turnBy: 'replies' } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

const llmOptions = () => ({ model: 'openai/mock-model', baseUrl: server.url, apiKey: 'test-key', retryMinDelayMs: 5, retryMaxDelayMs: 20 });
const steps = (count: number) => Array.from({ length: count }, (_, step) => mock.toolCall('echo', { text: `step ${step}` }));

describe('long tasks in an actor', () => {
  it("condenses with the condenser's own model, tracking its cost under its usage id; condense() forces one", async () => {
    const agent = new Agent({
      llm: new LLM({ ...llmOptions(), inputCostPerToken: 2e-6 }),
      tools: [{ name: 'echo', module: testToolsModule }],
      condenser: { maxSize: 12, keepFirst: 2, llm: { ...llmOptions(), apiKey: 'summary-key', usageId: 'summarizer', inputCostPerToken: 1e-6 } },
    });
    const conversation = supervisor.conversation({ agent, workspace: tempDir(), stuckDetection: false });
    server.setScript(conversation.id, [...steps(10), mock.finish('done'), mock.text('more')]);
    server.setScript(condenserConversationId(conversation.id), [mock.text('SUMMARY ONE'), mock.text('SUMMARY TWO'), mock.text('SUMMARY THREE')]);
    await conversation.sendMessage('Echo ten steps.');
    expect(await conversation.run()).toBe('finished');

    const { summarizer, agent: agentMetrics } = conversation.stats.usage_to_metrics;
    expect(summarizer?.accumulated_cost).toBeGreaterThan(0);
    expect(agentMetrics?.accumulated_cost).toBeGreaterThan(0);
    expect(server.requestsFor(condenserConversationId(conversation.id)).length).toBeGreaterThan(0);
    expect(JSON.stringify(conversation.state)).not.toContain('summary-key');

    const before = await conversation.countEvents({ kind: 'Condensation' });
    await conversation.condense();
    expect(await conversation.countEvents({ kind: 'Condensation' })).toBe(before + 1);
    await conversation.close();
  });

  it('condense() on an agent without a condenser is refused with a ConfigError', async () => {
    const conversation = supervisor.conversation({ agent: new Agent({ llm: new LLM(llmOptions()), condenser: null }), workspace: tempDir() });
    await expect(conversation.condense()).rejects.toBeInstanceOf(ConfigError);
    await conversation.close();
  });

  it("reads the workspace's AGENTS.md into the first model request, and activates skill files by trigger", async () => {
    const workspace = tempDir();
    writeFileSync(join(workspace, 'AGENTS.md'), 'The build command is `make all`.\n');
    mkdirSync(join(workspace, '.openhands/skills'), { recursive: true });
    writeFileSync(join(workspace, '.openhands/skills/release.md'), '---\ntriggers: [release]\n---\nReleases are cut from main on Fridays.\n');
    const conversation = supervisor.conversation({ agent: new Agent({ llm: new LLM(llmOptions()) }), workspace });
    server.setScript(conversation.id, [mock.text('ok')]);
    await conversation.sendMessage('Prepare the release notes.');
    await conversation.run();
    const [first] = server.requestsFor(conversation.id);
    const messages = (first!.body as { messages: { role: string; content: string | { text: string }[] }[] }).messages;
    const textOf = (content: string | { text: string }[]) => (typeof content === 'string' ? content : content.map((part) => part.text).join(''));
    expect(textOf(messages[0]!.content)).toContain('The build command is `make all`.');
    expect(textOf(messages.at(-1)!.content)).toContain('Releases are cut from main on Fridays.');
    expect(conversation.state.activatedKnowledgeSkills).toEqual(['release']);
    const [message] = (await conversation.searchEvents({ kind: 'MessageEvent' })).items;
    expect(message).toMatchObject({ activated_skills: ['release'] });
    await conversation.close();
  });

  it('refuses to start in a workspace with an invalid skill file, naming the file', async () => {
    const workspace = tempDir();
    mkdirSync(join(workspace, '.agents/skills'), { recursive: true });
    writeFileSync(join(workspace, '.agents/skills/broken.md'), '---\ntriggers: not-a-list\n---\nbody');
    const conversation = supervisor.conversation({ agent: new Agent({ llm: new LLM(llmOptions()) }), workspace });
    const error = await conversation.ready().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SkillFileError);
    expect((error as SkillFileError).file).toBe('.agents/skills/broken.md');
    expect((error as Error).message).toContain('"triggers" must be a list');
    await conversation.close();
  });
});
