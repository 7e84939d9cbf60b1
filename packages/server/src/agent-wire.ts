import { Agent, type AgentConfig, type AgentRecord, agentFromRecord, agentToRecord } from '@troupe/core';
import type { z } from 'zod';
import { canonicalToolName } from './tool-names.js';
import type { AgentInfo, AgentWireSchema } from './wire-schemas.js';

/** The agent of a start request (snake_case, OpenHands' shape) as a core `Agent`. */
export function agentFromWire(wire: z.output<typeof AgentWireSchema>): Agent {
  const { kind: _kind, tools, ...record } = wire;
  const config = agentFromRecord({ ...record, tools: tools.map((tool) => ({ ...tool, name: canonicalToolName(tool.name) ?? tool.name })) });
  return Agent.fromConfig(config);
}

/** An agent as a client may send it: snake_case, with its API key (RemoteConversation uses this). */
export function agentToWire(config: AgentConfig): z.input<typeof AgentWireSchema> {
  const record = agentToRecord(config);
  return { kind: 'Agent', ...record, llm: { ...(record.llm as object), model: config.llm.model, ...(config.llm.apiKey ? { api_key: config.llm.apiKey } : {}) } };
}

/** An agent as the server shows it: from the stored record, never with an API key. */
export function agentInfo(record: AgentRecord): AgentInfo {
  return { kind: 'Agent', ...record } as AgentInfo;
}
