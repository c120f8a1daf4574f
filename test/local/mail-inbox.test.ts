import { createTransport } from 'nodemailer';
import { startMailInbox } from '../../local/mail/inbox';
import { eventually, tempDir } from '../broker/helpers';

interface Listed {
  subject: string;
  to: { address: string }[];
  text: string;
}

const listed = async (webUrl: string) => (await (await fetch(`${webUrl}/email`)).json()) as Listed[];

describe("make dev's mail inbox", () => {
  it('takes a message over SMTP, lists it on its web inbox, and still has it after a restart', async () => {
    const dir = await tempDir('mail');
    let inbox = await startMailInbox({ dir });
    try {
      const mailer = createTransport(inbox.smtpUrl);
      await mailer.sendMail({
        from: 'knpay@example.com',
        to: 'buyer@example.com',
        subject: 'Invoice paid',
        text: 'Thank you',
      });
      mailer.close();
      // MailDev parses and stores a message after it has answered SMTP's 250: it shows up shortly after.
      const messages = await eventually(
        () => listed(inbox.webUrl),
        (list) => list.length > 0,
        10_000,
      );
      expect(messages.map((m) => [m.subject, m.to[0]?.address, m.text.trim()])).toEqual([
        ['Invoice paid', 'buyer@example.com', 'Thank you'],
      ]);
      const page = await fetch(inbox.webUrl);
      expect([page.status, page.headers.get('content-type')]).toEqual([200, expect.stringContaining('text/html')]);

      await inbox.stop();
      inbox = await startMailInbox({ dir });
      const kept = await eventually(
        () => listed(inbox.webUrl),
        (list) => list.length > 0,
        10_000,
      );
      expect(kept.map((m) => m.subject)).toEqual(['Invoice paid']);
    } finally {
      await inbox.stop();
    }
  }, 60_000);
});
