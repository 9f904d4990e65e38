import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Builds the renderer only (main and preload are bundled by esbuild). Output lands in out/renderer,
 * which both hosts serve; base './' keeps asset URLs relative so file:// (Electron) and http (browser
 * host) load the same files.
 */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    // Electron 41 ships Chromium 146; Debian's Chromium for e2e is newer.
    target: 'chrome120',
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // antd and its rc-* parts change rarely and are large: a separate chunk keeps app rebuilds small
        // and lets the browser cache the UI kit across releases.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 30 },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[a-z-]+)[\\/]/, priority: 20 },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
});
