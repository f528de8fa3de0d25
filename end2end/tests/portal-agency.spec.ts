import { expect, test } from './fixtures';
import { hydrated, mailedLink, signIn } from './helper';

/** The invitation link in the newest message to `email`. */
function invitationLink(email: string): Promise<string> {
  return mailedLink(email, /https?:\/\/\S+\/invitation\?token=[0-9a-f]{64}/);
}

test('an admin adds and invites a case manager, who sets a password from the mail and signs in', async ({
  page,
  browser,
}) => {
  const email = `gina.${Date.now()}@county.example`;
  await signIn(page, 'admin@harbour.example');
  await expect(page.getByRole('navigation', { name: 'Agency' })).toBeVisible();
  await page.getByRole('link', { name: 'Case managers' }).click();
  await expect(page.getByRole('heading', { name: 'Case managers' })).toBeVisible();
  await hydrated(page);

  const add = page.getByRole('form', { name: 'Add a case manager' });
  await add.getByLabel('Full name').fill('Gina Grant');
  await add.getByLabel('E-mail').fill(email);
  await add.getByLabel('Organisation (their agency or employer)').fill('County Services');
  await add.getByRole('button', { name: 'Add case manager' }).click();
  await expect(page.getByRole('heading', { name: 'Gina Grant' })).toBeVisible();
  await expect(page.getByTestId('access-status')).toHaveText('Active');

  await page.getByLabel('Personal message (optional)').fill('Welcome aboard, Gina.');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('status')).toHaveText('Invitation sent.');
  await expect(page.getByTestId('invitation-state')).toContainText('Waiting for acceptance');

  const link = await invitationLink(email);
  // The case manager, in a browser of their own.
  const theirs = await browser.newContext();
  const cm = await theirs.newPage();
  await cm.goto(link);
  await expect(cm.getByRole('heading', { name: 'Join the Harbour Care Agency Case Manager Portal' })).toBeVisible();
  await hydrated(cm);
  await cm.getByLabel('Password', { exact: true }).fill('tidal lantern orchard 42');
  await cm.getByLabel('Repeat the password').fill('tidal lantern orchard 42');
  await cm.getByRole('button', { name: 'Create account' }).click();
  await expect(cm.getByRole('heading', { name: 'Your account is ready' })).toBeVisible();
  await cm.getByRole('link', { name: 'Go to the sign-in page' }).click();

  await expect(cm.getByText('Welcome, case managers.')).toBeVisible();
  await hydrated(cm);
  const signInForm = cm.getByRole('form', { name: 'Sign in to the portal' });
  await signInForm.getByLabel('E-mail').fill(email);
  await signInForm.getByLabel('Password').fill('tidal lantern orchard 42');
  await signInForm.getByRole('button', { name: 'Sign in' }).click();
  // The agency's terms of use come first.
  await expect(cm.getByRole('heading', { name: 'Terms of use' })).toBeVisible();
  await cm.getByRole('button', { name: 'I accept the terms of use' }).click();
  await expect(cm.getByRole('heading', { name: 'My clients' })).toBeVisible();
  await expect(cm.getByText('No clients are assigned to you.')).toBeVisible();

  // The same link does not work twice.
  await cm.goto(link);
  await expect(cm.getByRole('alert')).toContainText('used already');
  await theirs.close();
});

test('an admin turns the portal off and case managers get a clear page', async ({ page }) => {
  await signIn(page, 'admin@harbour.example');
  await page.getByRole('link', { name: 'Settings' }).click();
  await hydrated(page);
  await expect(page.getByLabel('Case managers sign in at')).toHaveValue('/portal/harbour');
  await page.getByRole('button', { name: 'Turn the Case Manager Portal off' }).click();
  await expect(page.getByTestId('portal-state')).toHaveText('Off');

  const portal = await page.context().browser()!.newContext();
  const p = await portal.newPage();
  await p.goto('/portal/harbour');
  await expect(p.getByRole('heading', { name: 'The Case Manager Portal is turned off' })).toBeVisible();
  await portal.close();

  await page.getByRole('button', { name: 'Turn the Case Manager Portal on' }).click();
  await expect(page.getByTestId('portal-state')).toHaveText('On');
});

test('staff assign a case manager to a client; a second Primary is explained and refused', async ({ page }) => {
  await signIn(page, 'sam@harbour.example');
  await page.getByRole('link', { name: 'Clients' }).click();
  await page.getByRole('link', { name: 'Alice Brown' }).click();
  await hydrated(page);
  const assigned = page.getByRole('table', { name: 'Assigned case managers' });
  await expect(assigned.getByRole('row', { name: /Erin External.*Primary/ })).toBeVisible();
  const form = page.getByRole('form', { name: 'Assign a case manager' });
  await form.getByLabel('Case manager').selectOption({ label: 'Frank Field (frank@northcounty.example)' });
  await form.getByLabel('Relationship').selectOption('primary');
  await form.getByRole('button', { name: 'Assign' }).click();
  await expect(page.getByRole('alert')).toContainText('already has a Primary case manager (Erin External)');
});
