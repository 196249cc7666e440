import { builtinModules } from "node:module";
import tseslint from "typescript-eslint";

/** Infrastructure a domain folder must not import: deciders stay pure (DESIGN §8). */
const infrastructure = [
  ...builtinModules,
  "node:*",
  "cassandra-driver",
  "@nats-io/*",
  "@elastic/*",
  "express",
  "@grpc/*",
  "pino",
  "@bazaar/event-store",
  "@bazaar/messaging",
  "@bazaar/projections",
  "@bazaar/runtime",
  "@bazaar/contracts/*",
];

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "packages/contracts/src/gen/**", ".local/**", ".turbo/**"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/src/**/*.ts"],
    ignores: ["**/*.test.ts"],
    extends: [tseslint.configs.recommendedTypeCheckedOnly],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      // In-memory implementations of async interfaces are async without awaiting: that is how a
      // throw becomes a rejection, as callers expect.
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
    },
  },
  {
    files: ["**/src/domain/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: infrastructure, message: "domain code is pure: it imports no infrastructure (DESIGN §8)" }] }],
    },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
);
