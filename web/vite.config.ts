// Vite builds the web page (web/) into dist/web, which the API serves at / (src/api/web.ts).
// `npm run dev:web` serves it with hot reload and forwards /api, /files and the config to `npm start`.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = process.env.CONCEPTFLOW_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // Everything as files (no data: URIs), so the page's CSP stays 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
  server: { proxy: { '/api': api, '/files': api, '/app-config.json': api } },
});
