import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// The same browser and settings as the single-instance run, pointed at the
// proxy in front of two instances (scripts/cluster-e2e.sh starts them).
export default defineConfig({
  ...base,
  testDir: './cluster',
  use: { ...base.use, baseURL: 'http://127.0.0.1:3080' },
});
