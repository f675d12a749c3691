/** Probe: a sign-in metric our way (shared/log: EMF on the audit line itself). */
import { audit } from '../../../../shared/log';

export function run(): Promise<void> {
  audit('login.success', { subject: 'bench-user', client: 'bench-app' });
  return Promise.resolve();
}
