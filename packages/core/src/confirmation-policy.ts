import { z } from 'zod';
import type { SecurityRisk } from './event-base.js';
import type { ActionEvent } from './events.js';
import type { ToolDefinition } from './tool.js';

const RiskLevelSchema = z.enum(['LOW', 'MEDIUM', 'HIGH']);

/** The stored form (OpenHands' shape): a `kind` discriminator. */
export const ConfirmationPolicySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('NeverConfirm') }),
  z.object({ kind: z.literal('AlwaysConfirm') }),
  z.object({
    kind: z.literal('ConfirmRisky'),
    threshold: RiskLevelSchema.default('HIGH'),
    confirm_unknown: z.boolean().default(true),
  }),
]);
export type ConfirmationPolicy = z.output<typeof ConfirmationPolicySchema>;

/** What callers pass: `'never' | 'always' | 'risky'`, or the stored form. */
export const ConfirmationPolicyInputSchema = z.union([z.enum(['never', 'always', 'risky']), ConfirmationPolicySchema]);
export type ConfirmationPolicyInput = z.input<typeof ConfirmationPolicyInputSchema>;

export function normalizeConfirmationPolicy(input: ConfirmationPolicyInput = 'never'): ConfirmationPolicy {
  const parsed = ConfirmationPolicyInputSchema.parse(input);
  if (parsed === 'never') return { kind: 'NeverConfirm' };
  if (parsed === 'always') return { kind: 'AlwaysConfirm' };
  if (parsed === 'risky') return { kind: 'ConfirmRisky', threshold: 'HIGH', confirm_unknown: true };
  return parsed;
}

const RANK: Record<Exclude<SecurityRisk, 'UNKNOWN'>, number> = { LOW: 1, MEDIUM: 2, HIGH: 3 };

/**
 * Whether a batch of actions must wait for the user. Read-only tools (finish, think, views) never
 * need confirmation; under `ConfirmRisky` an action needs it when its risk reaches the threshold,
 * or when the model gave no risk and `confirm_unknown` is set.
 */
export function requiresConfirmation(
  policy: ConfirmationPolicy,
  actions: readonly ActionEvent[],
  tools: ReadonlyMap<string, ToolDefinition>,
): boolean {
  const sideEffecting = actions.filter((action) => !tools.get(action.tool_name)?.readOnly);
  if (sideEffecting.length === 0 || policy.kind === 'NeverConfirm') return false;
  if (policy.kind === 'AlwaysConfirm') return true;
  return sideEffecting.some((action) =>
    action.security_risk === 'UNKNOWN' ? policy.confirm_unknown : RANK[action.security_risk] >= RANK[policy.threshold],
  );
}
