// The register officer's casework beyond assessing: a change in the household, a referral
// to a panel and its outcome, a decision review asked for by the assistant and decided by a
// senior officer, the re-assessment that follows a scheme change, and the annual reviews
// awaiting the applicant's reply.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONSOLE, accessible, call, problems, signIn } from './console.mjs';

/** The console's cookies as a header: they are Secure, which the request API does not send over http. */
async function cookies(context) {
  return (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}

/**
 * A household of its own for each journey, taken in complete by the allocations officer
 * (so assessed and active at once, with no medical need yet): the path of its page and its
 * reference.
 */
function fileApplication(family) {
  const { application } = call('register', 'SubmitApplication', 'alloc.officer', {
    request_id: `browser-${family}`,
    lead_applicant: {
      given_name: 'Amara', family_name: family, date_of_birth: '1990-04-12',
      sex: 'SEX_FEMALE', relationship: 'RELATIONSHIP_LEAD_APPLICANT',
    },
    members: [{
      given_name: 'Kofi', family_name: family, date_of_birth: '2019-09-30',
      sex: 'SEX_MALE', relationship: 'RELATIONSHIP_CHILD',
    }],
    details: {
      area: 'north', postcode: 'N7 2AB',
      circumstances: { current_bedrooms: 1, tenure: 'TENURE_PRIVATE_RENTED', address: '3 Mill Lane' },
      local_connection: { years_resident: 6 },
      immigration_status: 'IMMIGRATION_STATUS_BRITISH_OR_IRISH_CITIZEN',
      finances: { annual_income_pence: 1_850_000, savings_pence: 20_000 },
      mobility: 'MOBILITY_CATEGORY_GENERAL_NEEDS',
    },
  });
  assert.equal(application.status, 'APPLICATION_STATUS_ACTIVE', JSON.stringify(application));
  return { path: `/register/applications/${application.application_id}`, reference: application.reference };
}

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? 'js' : 'nojs';

  test(`the allocations officer records a new baby, refers to the medical panel and records its outcome, ${how}`, async () => {
    const { path: application, reference } = fileApplication(`Casework${tag}${Date.now()}`);
    const { context, page } = await signIn('alloc.officer', 'demo-allocations', { javaScript, start: application });

    await page.getByRole('link', { name: 'Record a change in the household' }).click();
    await accessible(page, `household-change-${tag}`, { javaScript });
    // Someone half told, and no word of how the council heard: each named.
    await page.getByLabel('Given name').fill('Zoë');
    await page.getByRole('button', { name: 'Record the change' }).click();
    const missing = await problems(page);
    assert.equal(missing.length, 5, missing.join(' | '));
    for (const p of [/family name/, /date of birth/i, /sex/, /related/, /how the council heard/]) {
      assert.ok(missing.some((m) => p.test(m)), `${p} in ${missing.join(' | ')}`);
    }
    await accessible(page, `household-change-errors-${tag}`, { javaScript });
    await page.getByLabel('Family name').fill('Nguyễn');
    await page.getByLabel('Day').fill('1');
    await page.getByLabel('Month').fill('6');
    await page.getByLabel('Year').fill('2026');
    await page.getByRole('group', { name: 'Sex', exact: true }).getByLabel('Male', { exact: true }).check();
    await page.getByLabel('Child', { exact: true }).check();
    await page.getByLabel('How the council heard of the change').fill('Birth certificate brought to the office');
    await page.getByRole('button', { name: 'Record the change' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /change in the household has been recorded/);
    assert.ok(await page.locator('dd:has-text("Zoë Nguyễn")').isVisible(), 'the baby is in the household');
    const change = page.locator('table:has(caption:has-text("Birth certificate brought to the office"))');
    assert.match(await change.innerText(), /Who is in the household[\s\S]*Zoë Nguyễn/);
    assert.match(await change.locator('caption').innerText(), /by you \(Alan Okafor\)/);

    // A referral needs the panel and the question.
    await page.getByRole('link', { name: 'Refer the application' }).click();
    await page.getByRole('button', { name: 'Refer the application' }).click();
    assert.equal((await problems(page)).length, 2);
    await accessible(page, `refer-errors-${tag}`, { javaScript });
    await page.getByLabel('Medical and welfare panel').check();
    await page.getByLabel('What is the panel asked?').fill("Does the baby's heart condition need a move?");
    await page.getByRole('button', { name: 'Refer the application' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.ok(await page.locator('.govuk-summary-card .govuk-tag:has-text("Awaiting an outcome")').isVisible());

    // The referral waits in the panels' queue, reached from My work.
    await page.goto(`${CONSOLE}/`);
    await page.getByRole('link', { name: 'Referrals awaiting an outcome' }).click();
    await accessible(page, `referrals-queue-${tag}`, { javaScript });
    await page.getByRole('link', { name: `Record the outcome for ${reference}` }).click();
    await page.getByRole('button', { name: 'Record the outcome' }).click();
    assert.equal((await problems(page)).length, 2);
    await accessible(page, `referral-outcome-errors-${tag}`, { javaScript });
    await page.getByLabel('Yes, the need is accepted').check();
    await page.getByLabel('What the panel found').fill('Cardiology letter: stairs are a danger to him');
    await page.getByRole('button', { name: 'Record the outcome' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.equal(new URL(page.url()).pathname, application);
    assert.ok(await page.locator('.govuk-summary-card .govuk-tag:has-text("Accepted")').isVisible());
    assert.equal(
      await page.locator('.govuk-summary-list__row:has(dt:text-is("What led to it")) dd').innerText(),
      "A referral's outcome",
    );
    assert.match(await page.locator('table:has-text("Medical need")').innerText(), /Medical need\s+No\s+Yes/);
    // The letter acknowledging the application, written as the application came in, opens
    // as its PDF.
    for (let tries = 0; tries < 20 && !(await page.locator('a:has-text("Application received")').count()); tries++) {
      await page.waitForTimeout(500);
      await page.reload();
    }
    const letter = await page.locator('a:has-text("Application received")').first().getAttribute('href');
    const pdf = await context.request.get(CONSOLE + letter, { headers: { cookie: await cookies(context) } });
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
    await accessible(page, `application-with-casework-${tag}`, { javaScript });
    await context.close();
  });
}

test('the assistant records a request for a review; a senior officer who did not decide it upholds it', async () => {
  const { path: application, reference } = fileApplication(`Review${Date.now()}`);
  let { context, page } = await signIn('reg.assistant', 'demo-register', { start: application });
  await page.getByRole('link', { name: 'Record a request for a review of the decision' }).click();
  assert.ok(await page.locator('dd:has-text("Priority (band or points)")').isVisible());
  await page.getByRole('button', { name: 'Record the request' }).click();
  assert.match((await problems(page)).join(' '), /grounds/);
  await accessible(page, 'review-request-errors');
  await page.getByLabel("The applicant's grounds for the review").fill('The damp in the flat was not taken into account');
  await page.getByRole('button', { name: 'Record the request' }).click();
  await page.waitForSelector('.govuk-notification-banner');
  assert.ok(await page.locator('.govuk-summary-card .govuk-tag:has-text("Awaiting a decision")').isVisible());
  // One review at a time: no second request is offered while it waits.
  assert.equal(await page.getByRole('link', { name: /Record a request for a review/ }).count(), 0);
  await context.close();

  // An allocations officer does not decide reviews, nor see their queue.
  ({ context, page } = await signIn('alloc.officer', 'demo-allocations'));
  assert.equal(await page.getByRole('link', { name: 'Decision reviews awaiting a decision' }).count(), 0);
  const refused = await page.goto(`${CONSOLE}/register/reviews`);
  assert.equal(refused.status(), 403);
  await context.close();

  ({ context, page } = await signIn('senior.officer2', 'demo-senior2'));
  await page.getByRole('link', { name: 'Decision reviews awaiting a decision' }).click();
  await accessible(page, 'reviews-queue');
  await page.getByRole('link', { name: `Decide the review of ${reference}` }).click();
  // The assistant is named: the console knows each officer from their sign-in.
  assert.match(await page.locator('.govuk-summary-list__row:has(dt:text-is("Requested")) dd').innerText(), /by Rita Ahmed$/);
  await accessible(page, 'review-decide');
  // Overturning a priority decision needs the band it should have been.
  await page.getByLabel('The decision is overturned').check();
  await page.getByLabel('Your reasons').fill('The damp was assessed at the visit');
  await page.getByRole('button', { name: 'Record the decision' }).click();
  assert.match((await problems(page)).join(' '), /band/);
  await accessible(page, 'review-decide-errors');
  await page.getByLabel('The decision is upheld').check();
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await page.waitForSelector('.govuk-notification-banner');
  assert.equal(new URL(page.url()).pathname, application);
  const card = page.locator('.govuk-summary-card:has-text("Review of")');
  assert.match(await card.innerText(), /Decision upheld[\s\S]*The damp was assessed at the visit/);
  assert.match(await card.innerText(), /by you \(Sam Kowalski\)/);
  await context.close();
});

test('the re-assessment page says how far a scheme change has got', async () => {
  const { context, page } = await signIn('alloc.officer', 'demo-allocations');
  await page.goto(`${CONSOLE}/register`);
  await page.getByRole('link', { name: 'Re-assessment after a scheme change' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Re-assessment after a scheme change');
  const progress = page.locator('progress');
  if (await progress.count()) {
    assert.match(await page.locator('#progress-text').innerText(), /of \d+ applications re-assessed/);
  }
  await accessible(page, 'reassessment');
  await context.close();
});

test('a senior officer places and releases a legal hold and downloads the subject access bundle; an officer sees no records', async () => {
  const { path: application } = fileApplication(`Records${Date.now()}`);
  let { context, page } = await signIn('alloc.officer', 'demo-allocations', { start: application });
  assert.equal(await page.locator('#records').count(), 0, 'no records section for an allocations officer');
  await context.close();

  ({ context, page } = await signIn('senior.officer', 'demo-senior', { start: application }));
  await page.getByRole('button', { name: 'Place a legal hold' }).click();
  assert.match((await problems(page)).join(' '), /why the records must be kept/);
  await accessible(page, 'legal-hold-errors');
  await page.getByLabel('Why the records must be kept').fill('Judicial review of the banding decision');
  await page.getByRole('button', { name: 'Place a legal hold' }).click();
  await page.waitForSelector('.govuk-notification-banner');
  assert.match(await page.locator('.govuk-inset-text').innerText(), /Judicial review of the banding decision[\s\S]*by you \(Sade Nowak\)/);
  await accessible(page, 'legal-hold');

  const bundle = await context.request.get(`${CONSOLE}${application}/subject-access.tar`, { headers: { cookie: await cookies(context) } });
  assert.equal(bundle.status(), 200);
  assert.equal(bundle.headers()['content-type'], 'application/x-tar');
  const tar = (await bundle.body()).toString('latin1');
  assert.ok(tar.includes('manifest.json'), 'the bundle has its manifest');
  assert.ok(tar.includes('Judicial review of the banding decision'), 'and the hold in it');

  await page.getByRole('button', { name: 'Release the legal hold' }).click();
  await page.waitForSelector('.govuk-notification-banner');
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /legal hold has been released/);
  assert.ok(await page.getByRole('button', { name: 'Place a legal hold' }).isVisible());
  await context.close();
});

test('the assistant uploads evidence; the officer opens it, verifies one piece and rejects another with the reason', async () => {
  const { path: application } = fileApplication(`Evidence${Date.now()}`);
  let { context, page } = await signIn('reg.assistant', 'demo-register', { start: application });
  const pdf = (words) => ({ name: `${words}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4\n% ${words}\n%%EOF\n`) });
  const form = page.locator('form[enctype="multipart/form-data"]');
  // Neither what it shows nor the file: both named.
  await form.locator('button[type=submit]').click();
  assert.equal((await problems(page)).length, 2, (await problems(page)).join(' | '));
  await accessible(page, 'evidence-errors');
  for (const [kind, words] of [['Proof of identity', 'passport'], ['Proof of address', 'old-tenancy']]) {
    await page.getByLabel('What the evidence shows').selectOption({ label: kind });
    await page.getByLabel('Upload the evidence').setInputFiles(pdf(words));
    await form.locator('button[type=submit]').click();
    await page.waitForSelector('.govuk-notification-banner');
  }
  assert.equal(await page.locator('#evidence + table tbody tr').count(), 2);
  // An assistant uploads; checking is an officer's.
  assert.equal(await page.getByRole('button', { name: /^Verify/ }).count(), 0);
  await context.close();

  ({ context, page } = await signIn('alloc.officer', 'demo-allocations', { start: application }));
  const passport = await page.getByRole('link', { name: /^passport\.pdf/ }).getAttribute('href');
  const opened = await context.request.get(CONSOLE + passport, { headers: { cookie: await cookies(context) } });
  assert.equal(opened.status(), 200);
  assert.equal(opened.headers()['content-type'], 'application/pdf');
  await page.getByRole('button', { name: 'Verify passport.pdf' }).click();
  await page.waitForSelector('.govuk-notification-banner');
  assert.match(await page.locator('#evidence + table tr:has-text("passport.pdf")').innerText(), /Verified/);

  await page.getByRole('link', { name: 'Reject old-tenancy.pdf' }).click();
  await page.getByRole('button', { name: 'Reject the evidence' }).click();
  assert.match((await problems(page)).join(' '), /what is wrong/i);
  await accessible(page, 'evidence-reject-errors');
  await page.getByLabel('What is wrong with it').fill('The tenancy ended in 2019: send a bill from the last three months');
  await page.getByRole('button', { name: 'Reject the evidence' }).click();
  await page.waitForSelector('.govuk-notification-banner');
  assert.match(await page.locator('#evidence + table tr:has-text("old-tenancy.pdf")').innerText(), /Rejected/);
  await accessible(page, 'evidence-checked');
  await context.close();
});

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? 'js' : 'nojs';

  test(`the register assistant records a new baby for an officer to assess, ${how}`, async () => {
    const { path: application } = fileApplication(`Desk${tag}${Date.now()}`);
    const { context, page } = await signIn('reg.assistant', 'demo-register', { javaScript, start: application });
    await page.getByRole('link', { name: 'Record a change in the household' }).click();
    await page.getByLabel('Given name').fill('Ama');
    await page.getByLabel('Family name').fill('Mensah');
    await page.getByLabel('Day').fill('2');
    await page.getByLabel('Month').fill('11');
    await page.getByLabel('Year').fill('2026');
    await page.getByRole('group', { name: 'Sex', exact: true }).getByLabel('Female', { exact: true }).check();
    await page.getByLabel('Child', { exact: true }).check();
    await page.getByLabel('How the council heard of the change').fill('Birth certificate seen at the front desk');
    await page.getByRole('button', { name: 'Record the change' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    const warning = page.locator('.govuk-warning-text');
    assert.match(await warning.innerText(), /An officer is to assess the application again/);
    assert.match(await warning.innerText(), /Birth certificate seen at the front desk/);
    await accessible(page, `assistant-change-${tag}`, { javaScript });
    await context.close();

    // The allocations officer assesses it, and the warning goes.
    const officer = await signIn('alloc.officer', 'demo-allocations', { javaScript, start: application });
    await officer.page.getByRole('button', { name: 'Assess now' }).click();
    await officer.page.waitForSelector('.govuk-notification-banner');
    assert.equal(await officer.page.locator('.govuk-warning-text').count(), 0);
    await officer.context.close();
  });

  test(`the manager records the answers for the national lettings record, which officers see without the equality data, ${how}`, async () => {
    const { path: application } = fileApplication(`Core${tag}${Date.now()}`);
    const { context, page } = await signIn('manager', 'demo-manager', { javaScript, start: application });
    await page.getByRole('link', { name: "Record the applicant's answers" }).click();
    const choose = (question, answer) =>
      page.getByRole('group', { name: question }).getByLabel(answer, { exact: true }).check();
    await choose("The lead applicant's sex, as registered at birth", 'Female');
    await choose('Is the gender the lead applicant identifies with the same as their sex registered at birth?',
      'No, their gender identity is different');
    await page.getByLabel('If their gender identity is different').fill('Non-binary');
    await choose("Which of these best describes the lead applicant's working situation?", 'Part-time: less than 30 hours a week');
    await page.getByLabel("Which of these best describes the lead applicant's ethnic background?")
      .selectOption({ label: 'Asian: Bangladeshi' });
    await page.getByLabel("The lead applicant's nationality, as a country number").fill('826');
    await choose('Does anybody in the household have links to the UK armed forces?', 'Yes, a current or former regular');
    await choose('If a regular: are they still serving in the UK armed forces?', 'Left up to 5 years ago');
    await choose('If a regular or reserve: were they seriously injured or ill as a result of serving?', 'No');
    await choose('Does anybody in the household have a physical or mental health condition (or other illness) expected to last 12 months or more?', 'Yes');
    await page.getByLabel('Mobility', { exact: true }).check();
    await choose("Do you know the household's combined total income after tax?", 'Yes');
    await page.getByLabel("If known: the household's combined income after tax, in pounds").fill('412.50');
    await choose('If known: how often does the household receive that income?', 'Weekly');
    await choose('Is the household likely to be receiving any of these housing-related benefits?', 'Universal Credit housing element');
    await choose("How much of the household's income is from Universal Credit, state pensions or benefits?", 'Some');
    await page.getByLabel("Postcode of the household's last settled home").fill('e2 7qq');
    await page.getByLabel('The main reason the household left its last settled home').selectOption({ label: 'Another reason' });
    await choose("How long has the household continuously lived in the council's area?", '5 years but under 10 years');
    await page.getByLabel('How the council heard these answers').fill('Interview at the housing office');
    await accessible(page, `core-answers-${tag}`, { javaScript });
    await page.getByRole('button', { name: 'Save answers' }).click();

    // "Another reason" needs its words: the register names the field, and the summary links to it.
    const named = await problems(page);
    assert.equal(named.length, 1, named.join(' | '));
    assert.match(named[0], /reason for leaving/i);
    assert.equal(
      await page.locator('.govuk-error-summary__list a').getAttribute('href'),
      '#details-household_answers-reason_for_leaving_other',
    );
    await accessible(page, `core-answers-errors-${tag}`, { javaScript });
    await page.getByLabel('If another reason: what it was').fill('The building flooded');
    await page.getByRole('button', { name: 'Save answers' }).click();
    await page.waitForSelector('.govuk-notification-banner');

    const answers = await page.locator('main').innerText();
    assert.match(answers, /For the national lettings record \(CORE\)/);
    for (const shown of [/ethnic background\s+Asian: Bangladeshi/, /Non-binary/, /Country 826/, /Mobility/,
      /£412\.50 weekly/, /E2 7QQ/, /Another reason: The building flooded/, /5 years but under 10 years/]) {
      assert.match(answers, shown);
    }
    await accessible(page, `core-answers-shown-${tag}`, { javaScript });
    await context.close();

    // The allocations officer reads the same application without the equality data.
    const officer = await signIn('alloc.officer', 'demo-allocations', { javaScript, start: application });
    const seen = await officer.page.locator('main').innerText();
    assert.match(seen, /5 years but under 10 years/);
    assert.match(seen, /Part-time: less than 30 hours a week/);
    for (const hidden of [/Bangladeshi/, /Non-binary/, /Country 826/, /Long-term health condition/]) {
      assert.doesNotMatch(seen, hidden);
    }
    await officer.context.close();
  });

  test(`the manager answers each household member's questions for the national lettings record, ${how}`, async () => {
    const family = `Members${tag}${Date.now()}`;
    const { path: application } = fileApplication(family);
    const { context, page } = await signIn('manager', 'demo-manager', { javaScript, start: application });
    const choose = (question, answer) =>
      page.getByRole('group', { name: question, exact: true }).getByLabel(answer, { exact: true }).check();

    // A partner joins, with their answers; "Child under 16" is offered but not for an adult.
    await page.getByRole('link', { name: 'Record a change in the household' }).click();
    await page.getByLabel('Given name').fill('Yaw');
    await page.getByLabel('Family name').fill(family);
    await page.getByLabel('Day').fill('3');
    await page.getByLabel('Month').fill('2');
    await page.getByLabel('Year').fill('1988');
    await choose('Sex', 'Male');
    await page.getByLabel('Partner', { exact: true }).check();
    await choose('Their sex, as registered at birth', 'Male');
    await choose('Is the gender they identify with the same as their sex registered at birth?',
      'No, their gender identity is different');
    // The follow-up sits under its answer.
    const ownWords = page.getByLabel('If different: their gender, in their own words');
    assert.ok(await ownWords.isVisible());
    await ownWords.fill('Non-binary');
    await choose('Which of these best describes their working situation?', 'Child under 16');
    await page.getByLabel('How the council heard of the change').fill('Tenancy letter');
    await accessible(page, `household-core-${tag}`, { javaScript });
    await page.getByRole('button', { name: 'Record the change' }).click();
    const adult = await problems(page);
    assert.equal(adult.length, 1, adult.join(' | '));
    assert.match(adult[0], /16 or over/);
    assert.equal(await page.locator('.govuk-error-summary__list a').getAttribute('href'), '#joining-working_situation');
    assert.equal(await page.locator('#joining-working_situation').count(), 1);
    await accessible(page, `household-core-errors-${tag}`, { javaScript });
    assert.equal(await ownWords.inputValue(), 'Non-binary', 'what was given is shown again');
    await choose('Which of these best describes their working situation?', 'Full-time: 30 hours or more a week');
    await page.getByRole('button', { name: 'Record the change' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    let shown = await page.locator('main').innerText();
    assert.match(shown, new RegExp(`Yaw ${family}: gender the same as sex registered at birth\\s+No, their gender identity is different: Non-binary`));
    assert.match(shown, new RegExp(`Yaw ${family}: working situation\\s+Full-time: 30 hours or more a week`));

    // Every member other than the lead has their questions on the answers form, shown as kept.
    await page.getByRole('link', { name: "Record the applicant's answers" }).click();
    assert.ok(await page.getByRole('heading', { name: `About Kofi ${family}` }).isVisible());
    assert.ok(await page.getByRole('heading', { name: `About Yaw ${family}` }).isVisible());
    assert.ok(await page.getByRole('group', { name: `Which of these best describes Yaw ${family}'s working situation?` })
      .getByLabel('Full-time: 30 hours or more a week', { exact: true }).isChecked());
    assert.equal(await page.getByLabel(`If different: Yaw ${family}'s gender, in their own words`).inputValue(), 'Non-binary');
    await choose(`Kofi ${family}'s sex, as registered at birth`, 'Male');
    await choose(`Is the gender Kofi ${family} identifies with the same as their sex registered at birth?`, 'Yes');
    await choose(`Which of these best describes Kofi ${family}'s working situation?`, 'Child under 16');
    await choose(`Which of these best describes Yaw ${family}'s working situation?`, 'Child under 16');
    await page.getByLabel('How the council heard these answers').fill('Interview at the housing office');
    await accessible(page, `core-members-${tag}`, { javaScript });
    await page.getByRole('button', { name: 'Save answers' }).click();
    // The register refuses a child's working situation for Yaw: the summary links to his question.
    const refused = await problems(page);
    assert.equal(refused.length, 1, refused.join(' | '));
    assert.match(refused[0], new RegExp(`Yaw ${family} is 16 or over`));
    assert.equal(await page.locator('.govuk-error-summary__list a').getAttribute('href'), '#members-1-working_situation');
    assert.equal(await page.locator('#members-1-working_situation').count(), 1);
    await accessible(page, `core-members-errors-${tag}`, { javaScript });
    await choose(`Which of these best describes Yaw ${family}'s working situation?`, 'Part-time: less than 30 hours a week');
    await page.getByRole('button', { name: 'Save answers' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    shown = await page.locator('main').innerText();
    for (const answer of [
      `Kofi ${family}: sex registered at birth\\s+Male`,
      `Kofi ${family}: gender the same as sex registered at birth\\s+Yes`,
      `Kofi ${family}: working situation\\s+Child under 16`,
      `Yaw ${family}: working situation\\s+Part-time: less than 30 hours a week`,
      `Yaw ${family}: gender the same as sex registered at birth\\s+No, their gender identity is different: Non-binary`,
    ]) {
      assert.match(shown, new RegExp(answer));
    }
    await accessible(page, `core-members-shown-${tag}`, { javaScript });
    await context.close();

    // The allocations officer sees the working situations, not the equality data.
    const officer = await signIn('alloc.officer', 'demo-allocations', { javaScript, start: application });
    const seen = await officer.page.locator('main').innerText();
    assert.match(seen, new RegExp(`Kofi ${family}: working situation\\s+Child under 16`));
    for (const hidden of [new RegExp(`Kofi ${family}: sex registered at birth`), /Non-binary/]) {
      assert.doesNotMatch(seen, hidden);
    }
    await officer.context.close();
  });
}

for (const javaScript of [true, false]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';
  const tag = javaScript ? 'js' : 'nojs';

  test(`the register assistant opens the annual reviews due from My work and records a reply, ${how}`, async () => {
    const { path: application, reference } = fileApplication(`Review${tag}${Date.now()}`);
    call('register', 'StartAnnualReview', 'alloc.officer', { application_id: application.split('/').pop() });
    const { context, page } = await signIn('reg.assistant', 'demo-register', { javaScript });
    await page.waitForSelector('h1');
    const queue = page.locator('tr', { has: page.getByRole('link', { name: 'Annual reviews due', exact: true }) });
    const count = await queue.locator('td').nth(1).innerText();
    assert.ok(count === '100 or more' || Number(count) >= 1, `the queue counts ${count}`);
    await accessible(page, `home-reviews-due-${tag}`, { javaScript });

    await page.getByRole('link', { name: 'Annual reviews due', exact: true }).click();
    assert.equal(await page.locator('h1').innerText(), 'Annual reviews due');
    const rows = page.locator('table.govuk-table tbody tr');
    if (count !== '100 or more' && Number(count) <= 25) {
      assert.equal(await rows.count(), Number(count), 'My work counts what the list holds');
    }
    const today = new Date();
    for (const row of await rows.all()) {
      const cells = await row.locator('td').allInnerTexts();
      const [due, replyBy] = [new Date(cells[5]), new Date(cells[6])];
      assert.ok(due <= today, `review due on ${cells[5]}: ${cells.join(' | ')}`);
      assert.ok(replyBy > due, `reply needed by ${cells[6]}: ${cells.join(' | ')}`);
    }
    await accessible(page, `register-reviews-due-${tag}`, { javaScript });

    assert.equal(
      await rows.filter({ hasText: reference }).getByRole('link', { name: 'Record the reply' }).getAttribute('href'),
      `${application}/review-reply`,
    );
    // The application leads to the same form: an officer need not go through My work.
    await page.goto(`${CONSOLE}${application}`);
    assert.match(
      await page.locator('.govuk-summary-list__row:has(dt:text-is("Annual review")) dd').innerText(),
      /^Fell due on .+: the applicant's reply is needed by .+$/,
    );
    await accessible(page, `application-review-due-${tag}`, { javaScript });
    await page.getByRole('link', { name: 'Record the reply to the annual review' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Record the reply to the annual review');
    // No answer chosen: named, and linked to the question.
    await page.getByRole('button', { name: 'Record the reply' }).click();
    const missing = await problems(page);
    assert.equal(missing.length, 1, missing.join(' | '));
    assert.match(missing[0], /still wants to be on the register/);
    assert.equal(
      await page.locator('.govuk-error-summary__list a').getAttribute('href'),
      '#still_wants_housing',
    );
    await accessible(page, `review-reply-errors-${tag}`, { javaScript });
    await page.getByRole('group', { name: 'Does the applicant still want to be on the register?' })
      .getByLabel('Yes', { exact: true }).check();
    await page.getByRole('button', { name: 'Record the reply' }).click();
    await page.waitForSelector('.govuk-notification-banner');
    assert.match(
      await page.locator('.govuk-notification-banner').innerText(),
      /The reply to the annual review has been recorded/,
    );
    assert.equal(new URL(page.url()).pathname, application);
    assert.equal(await page.getByRole('link', { name: 'Record the reply to the annual review' }).count(), 0,
      'no reply awaited once recorded');
    await accessible(page, `review-replied-${tag}`, { javaScript });

    await page.goto(`${CONSOLE}/register?review=due`);
    assert.equal(await page.locator('table.govuk-table tbody tr', { hasText: reference }).count(), 0,
      'the reply takes the application out of the queue');
    await context.close();
  });
}
