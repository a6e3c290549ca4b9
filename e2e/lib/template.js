/*
 * Drives the `dynamodb-lineage` software template the way a user does: pick
 * from the pickers, step with Next, read the plan preview. Shared by the
 * journey that creates and the one that only photographs the form.
 */
const { expect, JourneyAssertionError } = require('./expect');

const TEMPLATE_PATH = '/create/templates/default/dynamodb-lineage';

/** Opens an autocomplete by its label, types, and picks the option matching `option`. */
async function pick(page, label, text, option) {
  // Material UI v4 autocompletes expose their input as a textbox.
  const input = page.getByRole('textbox', { name: label });
  await input.click();
  if (text) await input.fill(text);
  const choice = page.getByRole('option', { name: option }).first();
  await choice.waitFor({ timeout: 20000 });
  await choice.click();
}

/** The title of the step the form shows (the stepper's active label). */
function activeStep(page) {
  return page.evaluate(
    () => document.querySelector('.MuiStepLabel-active')?.textContent ?? '',
  );
}

/**
 * The step button: "Next", or "Review" on the step before the review; then
 * waits until the form shows the following step.
 *
 * A field still waiting on an answer (aria-busy: the team's accounts, the
 * region list, the tables, the plan) re-renders the step when the answer
 * comes, and the new text moves the button. A click whose press and release
 * straddle that move ends outside the button and is lost without an error,
 * so the step is clicked only once no field is busy.
 */
async function next(page) {
  await page.waitForFunction(
    () => !document.querySelector('form [aria-busy="true"]'),
    undefined,
    { timeout: 30000 },
  );
  const from = await activeStep(page);
  await page.getByRole('button', { name: /^(next|review)$/i }).click();
  try {
    await page.waitForFunction(
      step =>
        (document.querySelector('.MuiStepLabel-active')?.textContent ?? '') !==
        step,
      from,
      { timeout: 30000 },
    );
  } catch {
    const errors = await page
      .locator('form .Mui-error')
      .allInnerTexts()
      .catch(() => []);
    throw new JourneyAssertionError(
      `Next on the template's "${from}" step did not lead to the next step${
        errors.length ? `; the form says: ${errors.join(' | ')}` : ''
      }`,
    );
  }
}

/** Opens the template and fills its first step: team, AWS account and home region. */
async function fillTeamAndAccount(page, baseUrl, input) {
  await page.goto(`${baseUrl}${TEMPLATE_PATH}`);
  await page
    .getByText('Enable DynamoDB lineage tracking')
    .first()
    .waitFor({ timeout: 30000 });
  await pick(page, /^Team/, input.ownerSearch, input.ownerOption);
  // Offered because the team owns the account in the catalog.
  await pick(page, /^AWS account/, undefined, new RegExp(input.accountId));
  await pick(page, /^Home region/, undefined, new RegExp(`^${input.region}$`));
}

/** The Scope step: only the given tables, picked from the tables AWS lists. */
async function chooseTables(page, input) {
  await next(page);
  await page.getByRole('radio', { name: /only these tables/i }).check();
  await expect(
    page.getByText(
      new RegExp(`\\d+ tables in ${input.accountId} ${input.region}`),
    ),
    `the table picker listing the tables of ${input.accountId} ${input.region} from AWS`,
  ).toBeVisible();
  const tables = page.getByRole('textbox', { name: /^Tables/ });
  await tables.click();
  for (const table of input.tables) {
    const option = page.getByRole('option', { name: table, exact: true });
    await option.waitFor({ timeout: 20000 });
    await option.click();
  }
  await page.keyboard.press('Escape');
}

/**
 * From the Scope step to the plan preview, which must list the changes.
 * `storage.kmsKeyId` is typed into the Storage step's KMS key field.
 */
async function reachPlanPreview(page, storage = {}) {
  await next(page); // Scope → Storage
  await page.getByText('Log bucket name').first().waitFor();
  if (storage.kmsKeyId) {
    await page
      .getByRole('textbox', { name: /^KMS key/ })
      .fill(storage.kmsKeyId);
  }
  await next(page); // Storage → Options
  await page.getByText('Turn on CloudTrail Insights').first().waitFor();
  const planAnswer = page.waitForResponse(
    r => r.url().includes('/api/dynamodb-lineage/plan'),
    {
      timeout: 30000,
    },
  );
  await next(page); // Options → Review the plan
  const preview = page.getByTestId('lineage-plan-preview');
  await preview.waitFor();
  const answer = await planAnswer;
  if (!answer.ok()) {
    const body = await answer.text();
    let message = body;
    try {
      message = JSON.parse(body).error.message;
    } catch {
      // not JSON: keep the text
    }
    throw new JourneyAssertionError(
      `The plan preview shows "Could not compute the plan": POST /api/dynamodb-lineage/plan ` +
        `answered ${answer.status()} (${message}) to the form's body ${answer
          .request()
          .postData()}`,
    );
  }
  await expect(
    preview.getByText(/Creating this will make \d+ changes?, in this order/),
    'the plan preview lists what will be created',
  ).toBeVisible({ timeout: 30000 });
  return preview;
}

/** The scaffolder's last step, which repeats the answers before Create. */
async function reachReview(page) {
  await next(page);
  await expect(
    page.getByRole('button', { name: /^create$/i }),
    'the review step offers Create',
  ).toBeVisible();
}

module.exports = {
  TEMPLATE_PATH,
  fillTeamAndAccount,
  chooseTables,
  reachPlanPreview,
  reachReview,
  next,
  activeStep,
};
