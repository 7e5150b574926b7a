// Vite build of the Quarry portal: `vite build web` (from the repo root) writes dist/web, which
// `quarry serve` serves at `/` (src/api/routes/portal.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  // The Kusto language service (Bridge.NET output) assigns its globals through `global` when it sees a
  // CommonJS `module`; in the browser and in workers that is `globalThis`.
  define: { global: 'globalThis' },
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 12_000,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:7070', '/storage': 'http://127.0.0.1:7070' } },
});
