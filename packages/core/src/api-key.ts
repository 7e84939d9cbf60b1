/** A config without its `apiKey`: what may be logged, persisted, sent to another thread's state or shown. */
export function withoutApiKey<C extends { apiKey?: string | undefined }>(config: C): Omit<C, 'apiKey'> {
  const { apiKey: _apiKey, ...rest } = config;
  return rest;
}
