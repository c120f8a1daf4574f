import { createTransport, type Transporter } from 'nodemailer';
import type { NotificationConfig } from '../config';

/** What is sent: rendered once when the notice is recorded, the same bytes on every attempt. */
export interface MailContent {
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  /** The RFC 5322 Message-ID, stable across attempts: a duplicate delivery is recognisable. */
  messageId: string;
  headers: Record<string, string>;
}

/** What the SMTP server said: nodemailer's error fields that decide a retry. */
export type SendResult = { ok: true } | { ok: false; responseCode: number | undefined; error: string };

/** What the mailer reads from the function's config. */
export type MailerConfig = Pick<NotificationConfig, 'SMTP_URL' | 'SMTP_MAX_CONNECTIONS' | 'SMTP_TIMEOUT_MS'>;

/**
 * A pooled SMTP transport from SMTP_URL: smtp:// upgrades with STARTTLS when the server offers it,
 * smtps:// is TLS from the start, credentials in the URL. Timeouts bound every stage of the dialogue.
 * nodemailer applies the keys next to `url` only from version 10 on (6.x silently dropped them: no
 * pool, default timeouts); test/notification/mailer.test.ts holds it to that.
 */
export function createMailer(config: MailerConfig): {
  send(mail: MailContent): Promise<SendResult>;
  close(): void;
} {
  const transport: Transporter = createTransport({
    url: config.SMTP_URL,
    pool: true,
    maxConnections: config.SMTP_MAX_CONNECTIONS,
    connectionTimeout: config.SMTP_TIMEOUT_MS,
    greetingTimeout: config.SMTP_TIMEOUT_MS,
    socketTimeout: config.SMTP_TIMEOUT_MS,
  });
  return {
    send: async (mail) => {
      try {
        await transport.sendMail(mail);
        return { ok: true };
      } catch (error) {
        const e = error as { responseCode?: number; code?: string; message?: string };
        return {
          ok: false,
          responseCode: e.responseCode,
          error: [e.code, e.message].filter(Boolean).join(': ') || 'the send failed',
        };
      }
    },
    close: () => {
      transport.close();
    },
  };
}
