// Builds the window into renderer/dist. Relative asset URLs (base './') let the same build load
// from app://vault/ in Electron and from the loopback harnesses; no inline script or style is
// emitted, because the CSP allows only 'self'.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) })],
  // No public/ folder: everything the window loads goes through the bundler.
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Chromium of Electron 45 and Debian's Chromium: no legacy output needed.
    target: 'chrome120',
    // The polyfill would be an extra script for no gain: the build has one entry chunk.
    modulePreload: false,
    // Data URLs for fonts or images would need a wider CSP; there are none, and this keeps it so.
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: { host: '127.0.0.1', strictPort: false },
});
