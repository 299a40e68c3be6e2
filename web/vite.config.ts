import { fileURLToPath, URL } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The Rust server; override with ATENDE_DEV_API=http://host:port npm run dev.
const api = process.env.ATENDE_DEV_API ?? 'http://127.0.0.1:8080';
const features = fileURLToPath(new URL('./src/features/', import.meta.url));

export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/socket.io': { target: api, ws: true },
      '/healthz': { target: api },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      // Feature modules run nothing when imported (src/features/boundaries.test.ts checks).
      // Saying so lets a feature's index re-export code that only lazy pages use without
      // that code, and what it imports, landing in the first-load bundle.
      treeshake: {
        moduleSideEffects: (id) => (id.startsWith(features) ? false : undefined),
      },
      output: {
        // React + router change rarely; keep them in their own long-cached chunk.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 2 },
          ],
        },
      },
    },
  },
  test: {
    environment: 'happy-dom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    restoreMocks: true,
    // Dates in tests read as they do for a user in Brazil.
    env: { TZ: 'America/Sao_Paulo' },
  },
});
