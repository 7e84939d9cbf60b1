import { anthropicMaxTokens } from './anthropic-messages.js';
import { ConfigError } from './errors.js';
import type { LLMConfig } from './llm-config.js';
import type { ModelCapabilities } from './model-capabilities.js';
import type { ProviderRoute } from './provider-routing.js';

/**
 * Refuses, with a `ConfigError` naming it, every option the chosen provider's API or the model
 * cannot honour: nothing is silently dropped. Pure; the LLM calls it when it is made, for its
 * model and each fallback.
 */
export function checkLLMOptions(config: LLMConfig, route: ProviderRoute, capabilities: ModelCapabilities | undefined): void {
  const problem = findProblem(config, route, capabilities);
  if (problem !== undefined) throw new ConfigError(`Invalid LLM option for ${config.model}: ${problem}`);
}

function findProblem(config: LLMConfig, route: ProviderRoute, capabilities: ModelCapabilities | undefined): string | undefined {
  const provider = route.provider ?? 'the endpoint at baseUrl';
  if (config.apiMode === 'responses' && !route.options.has('responses')) {
    return `apiMode 'responses': ${provider} does not serve OpenAI's Responses API; use apiMode 'auto' or 'chat'.`;
  }
  if (config.apiVersion !== undefined && route.provider !== 'azure') return `apiVersion is Azure's api-version; ${provider} takes none.`;
  if (capabilities !== undefined && config.maxOutputTokens !== undefined && config.maxOutputTokens > capabilities.maxOutputTokens) {
    return `maxOutputTokens ${config.maxOutputTokens} is above the model's limit of ${capabilities.maxOutputTokens}.`;
  }
  if (capabilities?.samplingParams === false) {
    const sampling = (['temperature', 'topP', 'stop'] as const).find((option) => config[option] !== undefined);
    if (sampling !== undefined) return `${sampling}: this reasoning model takes no sampling parameters (temperature, topP, stop); remove it.`;
  }
  return route.api === 'anthropic' ? anthropicProblem(config, capabilities) : openAIProblem(config, route, capabilities, provider);
}

function anthropicProblem(config: LLMConfig, capabilities: ModelCapabilities | undefined): string | undefined {
  if (config.reasoningEffort !== undefined) return 'reasoningEffort: Anthropic models take extendedThinkingBudget (thinking tokens) instead.';
  if (config.seed !== undefined) return "seed: Anthropic's Messages API has no seed.";
  const budget = config.extendedThinkingBudget;
  if (budget === undefined) return undefined;
  if (capabilities !== undefined && capabilities.reasoning !== 'thinking') return 'extendedThinkingBudget: this model has no extended thinking.';
  const maxTokens = anthropicMaxTokens(config, capabilities);
  if (budget >= maxTokens) return `extendedThinkingBudget ${budget} must be below the output limit (maxOutputTokens, ${maxTokens}); raise maxOutputTokens or lower the budget.`;
  if (config.temperature !== undefined && config.temperature !== 1) return 'temperature: with extended thinking Anthropic takes only temperature 1 (or none).';
  if (config.topK !== undefined) return 'topK: Anthropic takes no topK with extended thinking.';
  if (config.topP !== undefined && config.topP < 0.95) return 'topP: with extended thinking Anthropic takes topP of 0.95 or more (or none).';
  return undefined;
}

function openAIProblem(config: LLMConfig, route: ProviderRoute, capabilities: ModelCapabilities | undefined, provider: string): string | undefined {
  if (config.extendedThinkingBudget !== undefined) {
    return "extendedThinkingBudget: only Anthropic's Messages API takes a thinking budget (anthropic/ models, apiMode 'auto'); OpenAI and Gemini reasoning models take reasoningEffort.";
  }
  const responses = route.api === 'openai-responses';
  if (config.topK !== undefined && (responses || !route.options.has('topK'))) return `topK: ${responses ? "OpenAI's Responses API" : provider} takes no top_k.`;
  if (config.seed !== undefined && (responses || !route.options.has('seed'))) return `seed: ${responses ? "OpenAI's Responses API" : provider} takes no seed.`;
  if (config.stop !== undefined && responses) return "stop: OpenAI's Responses API takes no stop sequences; use apiMode 'chat'.";
  const effort = config.reasoningEffort;
  if (effort === undefined) return undefined;
  if (!route.options.has('reasoningEffort')) return `reasoningEffort: ${provider} takes no reasoning_effort.`;
  if (capabilities !== undefined && capabilities.reasoning !== 'effort') return 'reasoningEffort: this model is not a reasoning model that takes reasoning_effort.';
  if (effort === 'none' && capabilities !== undefined && !capabilities.reasoningEffortNone) return "reasoningEffort 'none': this model always reasons; use 'low', 'medium' or 'high'.";
  return undefined;
}
