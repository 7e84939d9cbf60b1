import { Agent, type AgentConfig, type AgentRecord, agentFromRecord, agentToRecord } from '@troupe/core';
import type { z } from 'zod';
import { agentContextFromWire, agentContextToWire } from './agent-context-wire.js';
import { condenserFromWire, condenserToWire } from './condenser-wire.js';
import { canonicalToolName } from './tool-names.js';
import type { AgentInfo, AgentWireSchema } from './wire-schemas.js';

type WireAgent = Omit<z.output<typeof AgentWireSchema>, 'condenser'> & { condenser?: Record<string, unknown> | null | undefined };

/** A wire agent (a start request's, or a ConversationInfo's) as core's stored record. */
export function agentRecordFromWire(wire: WireAgent): AgentRecord {
  const { kind: _kind, tools, condenser, agent_context: context, ...record } = wire;
  return {
    ...record,
    tools: tools.map((tool) => ({ ...tool, name: canonicalToolName(tool.name) ?? tool.name })),
    ...(condenser === undefined ? {} : { condenser: condenser === null ? null : condenserFromWire(condenser) }),
    ...(context ? { agent_context: agentContextFromWire(context) } : {}),
  };
}

/** The agent of a start request (snake_case, OpenHands' shape) as a core `Agent`. */
export function agentFromWire(wire: z.output<typeof AgentWireSchema>): Agent {
  return Agent.fromConfig(agentFromRecord(agentRecordFromWire(wire)));
}

/** A stored record in the wire's shapes: `kind`s, and skills with OpenHands' `trigger`. */
function wireShapes(record: AgentRecord): Record<string, unknown> {
  const { condenser, agent_context: context } = record as { condenser?: Record<string, unknown> | null; agent_context?: Record<string, unknown> };
  return {
    kind: 'Agent',
    ...record,
    condenser: condenser ? condenserToWire(condenser) : null,
    ...(context ? { agent_context: agentContextToWire(context) } : {}),
  };
}

/** An agent as a client may send it: snake_case, with its API keys (RemoteConversation uses this). */
export function agentToWire(config: AgentConfig): z.input<typeof AgentWireSchema> {
  const wire = wireShapes(agentToRecord(config)) as { llm: object; condenser: { llm?: object } | null };
  const condenserKey = config.condenser?.llm?.apiKey;
  return {
    ...wire,
    llm: { ...wire.llm, model: config.llm.model, ...(config.llm.apiKey ? { api_key: config.llm.apiKey } : {}) },
    ...(wire.condenser?.llm && condenserKey ? { condenser: { ...wire.condenser, llm: { ...wire.condenser.llm, api_key: condenserKey } } } : {}),
  } as z.input<typeof AgentWireSchema>;
}

/** An agent as the server shows it: from the stored record, never with an API key. */
export function agentInfo(record: AgentRecord): AgentInfo {
  return wireShapes(record) as AgentInfo;
}
