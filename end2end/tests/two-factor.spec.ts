import { expect, test } from './fixtures';
import { createHmac } from 'node:crypto';
import { DEMO_PASSWORD, hydrated, signIn, signOut } from './helper';

/** RFC 4648 base32, as authenticator apps read the key. */
function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** What an authenticator app shows, `offset` 30-second steps from now (RFC 6238). */
function totp(key: Buffer, offset = 0): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30) + offset));
  const mac = createHmac('sha1', key).update(counter).digest();
  const at = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}

// Runs after the other specs (files run in name order) and turns
// two-factor off again at the end, so no other sign-in needs a code.
test('a user turns on two-factor, then signs in with a code from the app', async ({ page }) => {
  await signIn(page, 'chen@hillside.example');
  await expect(page.getByTestId('who-am-i')).toContainText('Dr. Li Chen');
  await page.getByRole('link', { name: 'Account' }).click();
  await hydrated(page);
  await expect(page.getByTestId('two-factor-status')).toContainText('Two-factor sign-in is off');

  await page.getByLabel('Password, to set up two-factor').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const key = base32(await page.getByTestId('totp-secret').innerText());

  await page.getByLabel('Code from your app').fill('000000' === totp(key) ? '111111' : '000000');
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await expect(page.getByRole('alert')).toContainText('That code is not right');

  const used = totp(key);
  await page.getByLabel('Code from your app').fill(used);
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  const recovery = await codes.nth(0).innerText();
  await expect(page.getByTestId('two-factor-status')).toContainText('Two-factor sign-in is on. 10 recovery codes left.');

  // The password alone no longer signs in.
  await signOut(page);
  await signIn(page, 'chen@hillside.example');
  await expect(page.getByRole('heading', { name: 'Two-factor sign-in' })).toBeVisible();
  await expect(page.getByTestId('who-am-i')).toHaveCount(0);
  // The code that turned it on was spent; the app's next one works.
  await page.getByLabel('Authentication code').fill(used);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('each code works once');
  await page.getByLabel('Authentication code').fill(totp(key, 1));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('who-am-i')).toContainText('Dr. Li Chen');

  // A lost phone: a recovery code signs in once.
  await signOut(page);
  await signIn(page, 'chen@hillside.example');
  await page.getByLabel('Authentication code').fill(recovery);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('who-am-i')).toContainText('Dr. Li Chen');

  await page.getByRole('link', { name: 'Account' }).click();
  await hydrated(page);
  await expect(page.getByTestId('two-factor-status')).toContainText('9 recovery codes left');
  await page.getByLabel('Password, to turn two-factor off').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).click();
  await expect(page.getByTestId('two-factor-status')).toContainText('Two-factor sign-in is off');
});

test('an agency requires two-factor: a case manager sets it up while signing in; an admin resets it', async ({ page, browser }) => {
  const setRequired = async (required: boolean) => {
    await page.goto('/settings');
    await hydrated(page);
    const security = page.getByRole('form', { name: 'Security' });
    await security.getByLabel('Require two-factor sign-in for case managers').setChecked(required);
    await security.getByRole('button', { name: 'Save security settings' }).click();
    await expect(page.getByRole('status')).toHaveText('Settings saved.');
  };
  await signIn(page, 'admin@harbour.example');
  await expect(page.getByTestId('who-am-i')).toContainText('Harper Admin');
  await setRequired(true);

  const cmContext = await browser.newContext();
  const cm = await cmContext.newPage();
  await cm.goto('/portal/harbour');
  await hydrated(cm);
  await cm.getByLabel('E-mail').fill('erin@northcounty.example');
  await cm.getByLabel('Password').fill(DEMO_PASSWORD);
  await cm.getByRole('button', { name: 'Sign in' }).click();
  await expect(cm.getByRole('heading', { name: 'Set up two-factor sign-in' })).toBeVisible();
  await expect(cm.getByText('Your organisation requires two-factor sign-in.')).toBeVisible();
  const key = base32(await cm.getByTestId('totp-secret').innerText());
  await cm.getByLabel('Authentication code').fill(totp(key));
  await cm.getByRole('button', { name: 'Continue' }).click();
  await expect(cm.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')).toHaveCount(10);
  await cm.getByRole('link', { name: 'I have saved my recovery codes: continue' }).click();
  await expect(cm.getByRole('heading', { name: 'My clients' })).toBeVisible();

  // Erin loses her phone. The admin signs her out everywhere at once,
  // drops the requirement, and resets her two-factor.
  await page.goto('/case-managers');
  await page.getByRole('link', { name: 'Erin External' }).click();
  await hydrated(page);
  await page.getByRole('button', { name: 'Sign Erin External out everywhere' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^\d+ sessions? ended\.$/ })).toBeVisible();
  await cm.reload();
  await expect(cm.getByRole('form', { name: 'Sign in to the portal' })).toBeVisible();

  await setRequired(false);
  await page.goto('/case-managers');
  await page.getByRole('link', { name: 'Erin External' }).click();
  await hydrated(page);
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: "Reset Erin External's two-factor sign-in" }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Two-factor sign-in reset.' })).toBeVisible();

  // The password alone signs her in again.
  await cm.reload();
  await hydrated(cm);
  await cm.getByLabel('E-mail').fill('erin@northcounty.example');
  await cm.getByLabel('Password').fill(DEMO_PASSWORD);
  await cm.getByRole('button', { name: 'Sign in' }).click();
  await expect(cm.getByRole('heading', { name: 'My clients' })).toBeVisible();
  await cmContext.close();
});
