#!/usr/bin/env node
// The `troupe` command. The CLI itself is compiled into dist/; this launcher exists before the
// build so that package managers can link it at install time.
try {
  await import('../dist/bin.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/bin.js')) {
    process.stderr.write('troupe: the CLI is not built yet; run `npx -y pnpm@10.34.9 build` in the repository first.\n');
    process.exit(1);
  }
  throw error;
}
