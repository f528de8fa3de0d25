import { test, expect } from './fixtures';
import { hydrated, signIn, signOut } from './helper';

test('the show-password button works only once the page has hydrated', async ({ page }) => {
  await page.goto('/login');
  await hydrated(page);
  const password = page.getByLabel('Password', { exact: true });
  await password.fill('secret-value');
  await expect(password).toHaveAttribute('type', 'password');
  await page.getByRole('button', { name: 'Show password' }).click();
  await expect(password).toHaveAttribute('type', 'text');
  await page.getByRole('button', { name: 'Hide password' }).click();
  await expect(password).toHaveAttribute('type', 'password');
});

test('the page without wasm renders but the button does nothing', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Sign in to Caseport' })).toBeVisible();
  await page.getByRole('button', { name: 'Show password' }).click();
  await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('type', 'password');
  await context.close();
});

const roles = [
  { email: 'ortiz@riverside.example', heading: 'My cases', who: 'Dr. Ana Ortiz', sees: 'Maria Gonzalez' },
  { email: 'casey@riverside.example', heading: 'Practice cases', who: 'Casey Staff', sees: 'Tom Becker' },
  { email: 'pat@riverside.example', heading: 'Cases I am associated with', who: 'Pat Plain', sees: 'Maria Gonzalez' },
  { email: 'admin@riverside.example', heading: 'Administration', who: 'Riley Admin', sees: 'casey@riverside.example' },
  { email: 'erin@northcounty.example', heading: 'My clients', who: 'Erin External', sees: 'Alice Brown' },
];

for (const role of roles) {
  test(`${role.who} signs in, sees their home page, and signs out`, async ({ page }) => {
    await signIn(page, role.email);
    await expect(page.getByRole('heading', { name: role.heading, level: 1 })).toBeVisible();
    await expect(page.getByLabel('Signed-in user')).toContainText(role.who);
    await expect(page.getByRole('main')).toContainText(role.sees);
    await signOut(page);
    // Signed out for real: the start page sends us back to sign in.
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
  });
}

test('a wrong password shows an error and signs nobody in', async ({ page }) => {
  await signIn(page, 'ortiz@riverside.example', 'not-the-password');
  await expect(page.getByRole('alert')).toHaveText('Invalid credentials.');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel('Signed-in user')).toHaveCount(0);
});

test('a case you are not on is a 404 that shows nothing of it', async ({ page }) => {
  // Dr. Okafor is not on Maria Gonzalez's case; Dr. Chen is.
  await signIn(page, 'chen@hillside.example');
  await expect(page.getByRole('heading', { name: 'My cases' })).toBeVisible();
  await page.getByRole('link', { name: 'Maria Gonzalez' }).click();
  await expect(page.getByRole('heading', { name: 'Maria Gonzalez' })).toBeVisible();
  const caseUrl = page.url();
  await signOut(page);

  await signIn(page, 'okafor@riverside.example');
  await expect(page.getByRole('heading', { name: 'My cases' })).toBeVisible();
  const response = await page.goto(caseUrl);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('main')).not.toContainText('Maria Gonzalez');
});

test('the admin page is a 404 for a doctor', async ({ page }) => {
  await signIn(page, 'ortiz@riverside.example');
  await expect(page.getByRole('heading', { name: 'My cases' })).toBeVisible();
  const response = await page.goto('/admin');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('repeated wrong passwords make the next attempt wait, with a message that reveals nothing', async ({ page }) => {
  test.setTimeout(120_000);
  const invalid = 'Invalid credentials.';
  for (let i = 0; i < 3; i++) {
    await signIn(page, 'morgan@hillside.example', 'not-the-password');
    await expect(page.getByRole('alert')).toHaveText(invalid);
  }
  // Each further failure doubles the delay (1 s, 2 s, 4 s, 8 s). Attempts
  // made while a delay runs are refused without counting, so keep trying
  // until four more failures have counted: then the delay is 16 s, far
  // longer than the next attempt takes, however slow the machine.
  let counted = 0;
  for (let tries = 0; counted < 4 && tries < 60; tries++) {
    await signIn(page, 'morgan@hillside.example', 'not-the-password');
    const alert = page.getByRole('alert');
    await expect(alert).toHaveText(/^(Invalid credentials\.|Too many attempts\. Please wait and try again\.)$/);
    if ((await alert.textContent()) === invalid) counted++;
    else await page.waitForTimeout(500);
  }
  expect(counted).toBe(4);
  await signIn(page, 'morgan@hillside.example');
  await expect(page.getByRole('alert')).toHaveText('Too many attempts. Please wait and try again.');
  await expect(page.getByLabel('Signed-in user')).toHaveCount(0);
});

test('signing out works before the wasm has loaded, and pages ask for nothing that is missing', async ({ page, browser }) => {
  // A file a page asks for and does not get (an icon, say) shows as an error in the console.
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await signIn(page, 'ortiz@riverside.example');
  await expect(page.getByRole('heading', { name: 'My cases', level: 1 })).toBeVisible();
  expect(errors).toEqual([]);

  // The same session in a browser that runs no script: "Sign out" is a plain form.
  const context = await browser.newContext({ javaScriptEnabled: false });
  await context.addCookies(await page.context().cookies());
  const plain = await context.newPage();
  await plain.goto('/');
  await expect(plain.getByRole('heading', { name: 'My cases', level: 1 })).toBeVisible();
  await plain.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(plain).toHaveURL(/\/login$/);
  await expect(plain.getByRole('heading', { name: 'Sign in to Caseport' })).toBeVisible();
  await context.close();
  // The session is over everywhere.
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
});
