/**
 * Resolves at the first Ctrl-C or SIGTERM. Call it before the command announces that it is ready:
 * whoever reads the announcement may signal at once, and a signal nobody listens for kills the
 * process before it saves anything. After the first signal a second one has its default effect.
 */
export function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
