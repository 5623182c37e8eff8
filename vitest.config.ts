import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

const migrations = await readD1Migrations('./migrations')

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: migrations,
                UPSTREAM_PORT: inject('upstreamPort'),
                CLOSED_PORT: inject('closedPort'),
                JWKS_PORT: inject('jwksPort'),
                ADMIN_TOKEN: 'test-admin-token-0123456789',
                ADMIN_ACCESS_KEY_ID: 'AKIDPORTICOTEST00001',
                ADMIN_SECRET_ACCESS_KEY: 'test-secret-key-0123456789abcdef0123456789',
                CONFIG_CACHE_SECONDS: '1',
              },
              workers: [
                {
                  name: 'portico-demo-backend',
                  modules: true,
                  scriptPath: './test/fixtures/lambda-backend.js',
                  compatibilityDate: '2026-08-01',
                },
              ],
            },
          })),
        ],
        test: {
          name: 'worker',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          globalSetup: ['./test/support/global-setup.ts'],
          setupFiles: ['./test/support/apply-migrations.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./test/e2e/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
