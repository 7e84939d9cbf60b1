import { type LLMOptions } from '@troupe/core';
import { mock, type MockScript, type MockServer, startMockServer } from '@troupe/core/testing';

/** Prices set on the built-in mock model so costs are not zero (USD per token: $3 / $15 per million). */
export const MOCK_PRICES = { inputCostPerToken: 3e-6, outputCostPerToken: 15e-6 } as const;
export const MOCK_MODEL = 'mock/troupe-mock-model';

export interface ModelChoice {
  /** LLM options of a conversation (`model` overrides the default). */
  llm(model?: string): LLMOptions;
  /** The built-in mock server, when no real model is configured. */
  readonly mock: MockServer | null;
  /** What to tell the user about the model (mock or real). */
  readonly notice: string;
  /** Scripts the mock model for one conversation (no-op with a real model). */
  scriptConversation(conversationId: string, prompt: string): void;
  close(): Promise<void>;
}

export interface ModelChoiceOptions {
  model?: string;
  baseUrl?: string;
  /** Mock model only: delay of each reply. */
  mockLatencyMs?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Uses the configured model when there is one (LLM_API_KEY, or an explicit base URL such as a
 * local endpoint that needs no key); otherwise starts the built-in mock model, a real
 * OpenAI-compatible server on 127.0.0.1 scripted per conversation with a small generic plan.
 */
export async function chooseModel(options: ModelChoiceOptions): Promise<ModelChoice> {
  const env = options.env ?? process.env;
  const baseUrl = options.baseUrl ?? env.LLM_BASE_URL;
  if (env.LLM_API_KEY || baseUrl) {
    const model = options.model ?? env.LLM_MODEL;
    if (!model) throw new Error('No model: pass --model provider/model or set LLM_MODEL.');
    return {
      llm: (override) => ({ model: override ?? model, ...(baseUrl ? { baseUrl } : {}) }),
      mock: null,
      notice: `Model: ${model}${baseUrl ? ` at ${baseUrl}` : ''}.`,
      scriptConversation: () => undefined,
      close: async () => undefined,
    };
  }
  const server = await startMockServer({ latencyMs: options.mockLatencyMs ?? 20, recordRequests: false, defaultScript: mockPlan('the task') });
  return {
    llm: () => ({ model: MOCK_MODEL, baseUrl: server.url, ...MOCK_PRICES }),
    mock: server,
    notice:
      `LLM_API_KEY is not set: using the built-in mock model at ${server.url} (a scripted plan, then finish). ` +
      `Costs use mock prices ($3 / $15 per million input / output tokens). Set LLM_API_KEY and --model (or LLM_MODEL) for a real model.`,
    scriptConversation: (conversationId, prompt) => server.setScript(conversationId, mockPlan(prompt)),
    close: () => server.close(),
  };
}

/** The mock model's generic plan for a task: record a plan with task_tracker, then finish quoting the task. */
export function mockPlan(prompt: string): MockScript {
  const quoted = prompt.length > 200 ? `${prompt.slice(0, 199)}…` : prompt;
  return [
    mock.toolCall(
      'task_tracker',
      {
        command: 'plan',
        task_list: [
          { title: 'Understand the request', notes: quoted, status: 'done' },
          { title: 'Carry it out', status: 'done' },
        ],
      },
      { text: 'I will plan the work first.' },
    ),
    mock.finish(`Done (mock model): "${quoted}"`),
  ];
}
