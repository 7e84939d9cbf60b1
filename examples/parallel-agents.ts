// 100 agents in parallel on all cores, with a live view: one line per conversation.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, type ConversationStatus, totalCost } from '@troupe/core';
import { mock } from '@troupe/core/testing';
import { type Conversation, Supervisor } from '@troupe/workers';
import { exampleModel } from './example-model.js';

const COUNT = Number(process.env.AGENTS ?? 100);
const model = await exampleModel({ latencyMs: 300 });
const supervisor = new Supervisor();
const agent = new Agent({ llm: model.llm, tools: [{ name: 'terminal' }, { name: 'file_editor' }] });
const root = mkdtempSync(join(tmpdir(), 'troupe-parallel-'));
const steps = new Map<string, number>();

const conversations: Conversation[] = Array.from({ length: COUNT }, (_, i) => {
  const workspace = join(root, `agent-${i}`);
  const conversation = supervisor.conversation({ agent, workspace });
  steps.set(conversation.id, 0);
  conversation.on('event', (event) => {
    if (event.kind === 'ObservationEvent') steps.set(conversation.id, (steps.get(conversation.id) ?? 0) + 1);
  });
  const stepsWanted = 3 + (i % 5);
  model.script(conversation.id, [
    ...Array.from({ length: stepsWanted }, (_, s) => mock.toolCall('terminal', { command: `echo step ${s} >> log.txt` })),
    mock.finish(`Agent ${i} wrote ${stepsWanted} lines.`),
  ]);
  return conversation;
});

const icon: Record<ConversationStatus, string> = { idle: '·', running: '▶', paused: '‖', waiting_for_confirmation: '?', finished: '✓', error: '✗', stuck: '!' };
const isTTY = process.stdout.isTTY;
function render(final = false): void {
  const lines = conversations.map((c, i) => `${String(i).padStart(3)} ${icon[c.status]} ${c.status.padEnd(9)} steps ${steps.get(c.id)}  thread ${c.state.threadId ?? '-'}`);
  const done = conversations.filter((c) => c.status === 'finished').length;
  const header = `Model: ${model.description}\n${done}/${COUNT} finished on ${supervisor.threads} threads`;
  if (isTTY) process.stdout.write(`\x1b[H\x1b[2J${header}\n${lines.join('\n')}\n`);
  else if (final) console.log(`${header}\n${lines.join('\n')}`);
}

const timer = setInterval(render, 200);
const started = performance.now();
const statuses = await Promise.all(
  conversations.map(async (conversation, i) => {
    await conversation.sendMessage(`Agent ${i}: append a few lines to log.txt, then finish.`);
    return conversation.run();
  }),
);
clearInterval(timer);
render(true);
const cost = conversations.reduce((sum, c) => sum + totalCost(c.stats), 0);
console.log(`\n${statuses.filter((s) => s === 'finished').length}/${COUNT} finished in ${((performance.now() - started) / 1000).toFixed(1)} s, total cost $${cost.toFixed(4)}`);
await supervisor.close();
await model.close();
