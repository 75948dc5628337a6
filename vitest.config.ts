import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests spawn CLI processes and talk to one gnome-keyring daemon; two workers
    // match the two cores and keep the daemon from being flooded.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
