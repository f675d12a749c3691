/**
 * A real SES v2 API on this machine: aws-ses-v2-local, in this process, on 127.0.0.1. The
 * functions send to it (SES_ENDPOINT); its web inbox shows every mail (npm start prints its
 * URL), and the end-to-end tests read the mails through its API (`GET /store`).
 */
import type { Server } from 'node:http';
import startSes from 'aws-ses-v2-local';

export interface LocalMail {
  /** The SES endpoint, and the web inbox at its root. */
  url: string;
  stop: () => Promise<void>;
}

export async function startLocalMail(port: number): Promise<LocalMail> {
  const server: Server = await startSes({ host: '127.0.0.1', port });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A mail as the local inbox keeps it. */
export interface ReceivedMail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string | undefined;
  html: string | undefined;
  /** Epoch seconds. */
  at: number;
}

interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

/** Every mail the local inbox holds for `to`, oldest first. */
export async function mailsTo(mailUrl: string, to: string): Promise<ReceivedMail[]> {
  const response = await fetch(`${mailUrl}/store`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`the local inbox answered HTTP ${response.status}`);
  const { emails } = (await response.json()) as { emails: StoredEmail[] };
  return emails
    .filter((email) => email.destination.to.some((address) => address.includes(to)))
    .map((email) => ({
      messageId: email.messageId,
      from: email.from,
      to: email.destination.to,
      subject: email.subject,
      text: email.body.text,
      html: email.body.html,
      at: email.at,
    }));
}
