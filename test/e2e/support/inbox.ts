/** The local SES inbox (aws-ses-v2-local) as a test reads it: the next mail to an address. */
import { mailsTo, type ReceivedMail } from '../../../scripts/lib/mail';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for the `count`-th mail to `to` (1 = the first) and returns it. */
export async function nthMail(mailUrl: string, to: string, count: number): Promise<ReceivedMail> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const mails = await mailsTo(mailUrl, to);
    const mail = mails[count - 1];
    if (mail) return mail;
    if (Date.now() > deadline) {
      throw new Error(`no mail number ${count} to ${to} within 15 s (${mails.length} so far)`);
    }
    await sleep(200);
  }
}

/** The one link under `base` in a mail's text part. */
export function linkIn(mail: ReceivedMail, base: string): string {
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = (mail.text ?? '').match(new RegExp(`${escaped}\\S*`, 'g')) ?? [];
  if (found.length !== 1) throw new Error(`expected one link under ${base}, found ${found.length}`);
  return found[0];
}
