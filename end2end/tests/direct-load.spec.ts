import { expect, test, type Page } from './fixtures';
import { hydrated, signIn } from './helper';

// Every page opened by a full page load (a bookmark, a link in an e-mail,
// a reload) must hydrate cleanly: the browser logs no hydration error and
// nothing panics. Moving around inside the app would not show this.

function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    const text = m.text();
    if ((m.type() === 'error' || m.type() === 'warning') && /hydrat|panicked|unreachable/i.test(text)) {
      problems.push(`${page.url()}: ${text}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
  return problems;
}

async function loadEach(page: Page, paths: string[], problems: string[]) {
  for (const path of paths) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBeLessThan(400);
    await hydrated(page);
    await page.waitForLoadState('networkidle');
  }
  expect(problems).toEqual([]);
}

/** The href of the first link inside `scope` whose href matches `pattern`. */
async function firstLink(page: Page, pattern: RegExp): Promise<string> {
  const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  const found = hrefs.find((h) => pattern.test(h));
  expect(found, `a link like ${pattern}`).toBeTruthy();
  return found as string;
}

test('signed-out pages hydrate on a direct load', async ({ page }) => {
  const problems = watch(page);
  await loadEach(page, ['/login', '/password-reset', '/portal/harbour', '/portal/harbour?reason=idle'], problems);
});

test('agency staff pages hydrate on a direct load', async ({ page }) => {
  const problems = watch(page);
  await signIn(page, 'admin@harbour.example');
  await expect(page.getByTestId('who-am-i')).toContainText('Harper Admin');
  await page.goto('/clients');
  await hydrated(page);
  const client = await firstLink(page, /^\/clients\/\d+$/);
  await page.goto('/case-managers');
  await hydrated(page);
  const caseManager = await firstLink(page, /^\/case-managers\/\d+$/);
  await loadEach(
    page,
    ['/', '/clients', client, '/case-managers', caseManager, '/messages', '/settings', '/activity', '/account'],
    problems,
  );
  // After all those loads, a form still works: the live filter answers.
  await page.goto('/clients');
  await hydrated(page);
  await page.getByLabel('Search clients').fill('Carlos');
  await expect(page.getByRole('link', { name: 'Carlos Diaz' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Alice Brown' })).toHaveCount(0);
});

test('every portal page and tab hydrates on a direct load', async ({ page }) => {
  const problems = watch(page);
  await signIn(page, 'erin@northcounty.example');
  await expect(page).toHaveURL(/\/portal\/harbour$/);
  await hydrated(page);
  const client = await firstLink(page, /^\/portal\/harbour\/clients\/\d+$/);
  const tabs = ['schedules', 'notes', 'hours_summary', 'assessments', 'documents', 'reports', 'messages'];
  await loadEach(
    page,
    ['/portal/harbour', client, ...tabs.map((t) => `${client}?tab=${t}`), '/portal/harbour/reports', '/account'],
    problems,
  );
  // The last tab loaded directly, the conversation, takes a message.
  await page.goto(`${client}?tab=messages`);
  await hydrated(page);
  await expect(page.getByLabel('Message to the agency')).toBeEditable();
});

test('practice pages hydrate on a direct load', async ({ page }) => {
  const problems = watch(page);
  await signIn(page, 'casey@riverside.example');
  await expect(page.getByTestId('who-am-i')).toContainText('Casey');
  await hydrated(page);
  const kase = await firstLink(page, /^\/cases\/\d+/);
  await loadEach(page, ['/', kase, '/cases/new', '/account'], problems);
});

test('a practice admin\'s pages hydrate on a direct load', async ({ page }) => {
  const problems = watch(page);
  await signIn(page, 'admin@hillside.example');
  await expect(page.getByTestId('who-am-i')).toContainText('Hana Admin');
  await loadEach(page, ['/', '/activity', '/account', '/admin'], problems);
  await expect(page.getByRole('form', { name: 'Response deadlines' })).toBeVisible();
});
