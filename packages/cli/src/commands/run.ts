import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { totalCost, totalTokenUsage } from '@troupe/core';
import { Supervisor } from '@troupe/workers';
import { codingAgent } from '../shared/agent.js';
import { formatEvent } from '../shared/format-event.js';
import { chooseModel } from '../shared/model.js';
import { formatUsd } from '../shared/table.js';

export interface RunCommandOptions {
  model?: string;
  baseUrl?: string;
  workspace?: string;
  persistenceDir?: string;
  conversationId?: string;
  maxIterations?: number;
  mockLatency?: number;
}

/** `troupe run "<prompt>"`: one conversation, its events printed one line each as they come. Exit 0 when it finished. */
export async function runCommand(prompt: string, options: RunCommandOptions): Promise<number> {
  const out = process.stdout;
  const model = await chooseModel({
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
    ...(options.mockLatency === undefined ? {} : { mockLatencyMs: options.mockLatency }),
  });
  process.stderr.write(`${model.notice}\n`);
  const conversationId = options.conversationId ?? randomUUID();
  model.scriptConversation(conversationId, prompt);

  const supervisor = new Supervisor({ threads: 1, closeGraceMs: 5_000 });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= supervisor.close());
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write('\nCtrl-C: pausing at the next step boundary and saving; Ctrl-C again to exit now.\n');
    void close();
  };
  process.on('SIGINT', onSigint);
  try {
    const conversation = supervisor.conversation({
      agent: codingAgent(model.llm()),
      conversationId,
      workspace: resolve(options.workspace ?? process.cwd()),
      ...(options.persistenceDir === undefined ? {} : { persistenceDir: resolve(options.persistenceDir) }),
      ...(options.maxIterations === undefined ? {} : { maxIterationsPerRun: options.maxIterations }),
    });
    conversation.on('event', (event) => {
      const line = formatEvent(event);
      if (line !== null) out.write(`${line}\n`);
    });
    await conversation.ready();
    await conversation.sendMessage(prompt);
    const status = await conversation.run();
    const usage = totalTokenUsage(conversation.stats);
    const lastError = conversation.state.lastError;
    out.write(
      `\nstatus: ${status}${status !== 'finished' && lastError ? ` (${lastError.code}: ${lastError.detail})` : ''}\n` +
        `cost: ${formatUsd(totalCost(conversation.stats))}${model.mock ? ' (mock prices)' : ''}, tokens: ${usage.prompt_tokens} in / ${usage.completion_tokens} out\n` +
        `conversation: ${conversationId}${options.persistenceDir ? ` in ${resolve(options.persistenceDir)}` : ''}\n`,
    );
    return interrupted ? 130 : status === 'finished' ? 0 : 1;
  } finally {
    await close();
    await model.close();
    process.off('SIGINT', onSigint);
  }
}
