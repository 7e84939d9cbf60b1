/**
 * The key by which a model is found in Troupe's tables (prices, capabilities): its name after the
 * last `/` (so `openrouter/anthropic/claude-sonnet-4.5` and `claude-sonnet-4-5` are one model),
 * lower-case, with dots as dashes (providers spell versions both ways).
 */
export function modelFamilyKey(model: string): string {
  return model.slice(model.lastIndexOf('/') + 1).toLowerCase().replaceAll('.', '-');
}

/** The provider prefix of a `provider/model` name, or null for a bare name. */
export function providerPrefix(model: string): string | null {
  const slash = model.indexOf('/');
  return slash > 0 ? model.slice(0, slash) : null;
}
