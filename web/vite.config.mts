import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// One config, two apps: `WEB_APP=app` (staff console, served under /app/) or `WEB_APP=portal`
// (customer portal, /portal/). Separate builds keep the portal's bundle free of console code.
const name = process.env.WEB_APP === 'portal' ? 'portal' : 'app';

export default defineConfig({
  root: resolve(import.meta.dirname, name),
  base: `/${name}/`,
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: resolve(import.meta.dirname, '..', 'dist', 'web', name),
    emptyOutDir: true,
    assetsDir: 'assets',
    // The polyfill would be an inline script, which the CSP forbids; every target browser has it.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      // react-router marks modules "use client" for server components; meaningless in an SPA.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
  server: { port: 41610, proxy: { '/api': 'http://127.0.0.1:3000' } },
});
