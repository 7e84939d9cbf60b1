import { Agent, LLM, type LLMOptions, type ToolRef } from '@troupe/core';

/** The tools of `troupe run` and `troupe batch` conversations. */
export const CODING_TOOLS: ToolRef[] = [{ name: 'terminal' }, { name: 'file_editor' }, { name: 'task_tracker' }];

export function codingAgent(llm: LLMOptions): Agent {
  return new Agent({ llm: new LLM(llm), tools: CODING_TOOLS });
}

