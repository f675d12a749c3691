/** The users CLI's command line: its options. */
import type { parseArgs } from 'node:util';

export const OPTIONS = {
  name: { type: 'string' },
  'given-name': { type: 'string' },
  'family-name': { type: 'string' },
  'preferred-username': { type: 'string' },
  picture: { type: 'string' },
  locale: { type: 'string' },
  phone: { type: 'string' },
  'email-verified': { type: 'boolean' },
  roles: { type: 'string' },
  groups: { type: 'string' },
  disabled: { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
  yes: { type: 'boolean' },
  'no-revoke': { type: 'boolean' },
  table: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type Options = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];
