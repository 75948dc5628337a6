// Svelte 5 with runes everywhere. TypeScript in <script lang="ts"> needs no preprocessor in
// Svelte 5 as long as it only uses type annotations (no enums, no decorators).
export default {
  compilerOptions: { runes: true },
};
