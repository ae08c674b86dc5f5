import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

// The web UI: built into web/dist and served by `kasane serve` from the same origin.
// Everything (fonts included) is bundled; nothing is fetched from outside at run time.
export default defineConfig({
  root: webRoot,
  base: '/',
  publicDir: fileURLToPath(new URL('./public', import.meta.url)),
  plugins: [react(), tailwindcss()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // Font files must be real files (CSP allows font-src 'self' data:, but files keep the bundle small).
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    // `vite --config web/vite.config.ts` for development against a running `kasane serve --port 8080`.
    proxy: { '/api': 'http://127.0.0.1:8080' },
    // The UI imports pure helpers (和暦, code lists) from ../src/ja.
    fs: { allow: [projectRoot] },
  },
});
