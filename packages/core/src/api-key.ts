/** A config without its `apiKey` (nor its fallbacks' keys): what may be logged, persisted, sent to another thread's state or shown. */
export function withoutApiKey<C extends { apiKey?: string | undefined; fallbacks?: ReadonlyArray<{ apiKey?: string | undefined }> }>(config: C): Omit<C, 'apiKey'> {
  const { apiKey: _apiKey, ...rest } = config;
  if (!rest.fallbacks?.some((fallback) => fallback.apiKey !== undefined)) return rest;
  return { ...rest, fallbacks: rest.fallbacks.map(({ apiKey: _key, ...fallback }) => fallback) };
}

/** Every API key a config holds (its own and its fallbacks'), to mask them wherever text is shown. */
export function configApiKeys(config: { apiKey?: string | undefined; fallbacks?: ReadonlyArray<{ apiKey?: string | undefined }> }): string[] {
  return [config.apiKey, ...(config.fallbacks ?? []).map((fallback) => fallback.apiKey)].filter((key): key is string => key !== undefined);
}
