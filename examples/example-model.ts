import { LLM } from '@troupe/core';
import { type MockScript, type MockServer, startMockServer } from '@troupe/core/testing';

/**
 * The model the examples use: the real provider when LLM_API_KEY is set (LLM_MODEL, LLM_BASE_URL),
 * otherwise Troupe's built-in mock model, a local OpenAI-compatible server that follows a script.
 */
export interface ExampleModel {
  llm: LLM;
  /** What the examples say about the model they used. */
  description: string;
  /** Gives a conversation its scripted replies (mock model only; a real model ignores scripts). */
  script(conversationId: string, script: MockScript): void;
  close(): Promise<void>;
}

export async function exampleModel(options: { latencyMs?: number } = {}): Promise<ExampleModel> {
  if (process.env.LLM_API_KEY) {
    const llm = new LLM({ usageId: 'agent', model: process.env.LLM_MODEL ?? 'anthropic/claude-sonnet-4-5' });
    return { llm, description: `${llm.model} (real provider, LLM_API_KEY is set)`, script: () => undefined, close: async () => undefined };
  }
  const server: MockServer = await startMockServer({ latencyMs: options.latencyMs ?? 150 });
  const llm = new LLM({
    usageId: 'agent',
    model: 'openai/troupe-mock',
    baseUrl: server.url,
    apiKey: 'mock',
    // Nominal prices so the cost figures are not all zero; nothing is billed.
    inputCostPerToken: 3e-6,
    outputCostPerToken: 15e-6,
  });
  return {
    llm,
    description: 'Troupe built-in mock model (scripted, local, no network; LLM_API_KEY is not set; mock prices)',
    script: (conversationId, script) => server.setScript(conversationId, script),
    close: () => server.close(),
  };
}
