// The resident web app's build (`npm start` and the CDK app run it when web/dist is missing or older than
// the sources: infra/web-build.ts). Preact through its Vite preset, which compiles the JSX.

import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact({ reactAliasesEnabled: false })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Browsers of the last few years on phones in China: ES2020 keeps the output small without polyfills.
    target: 'es2020',
  },
});
