import { defineConfig } from 'vite';

// Preact's JSX through Vite's own transformer: no framework plugin needed.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
