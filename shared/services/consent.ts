import { config } from '../config';
import type { ConsentDeps } from '../flows/consent';
import { hydraAdmin } from './hydra';

export function consentDeps(): ConsentDeps {
  return { hydra: hydraAdmin(), rememberForSeconds: config().consentRememberForSeconds };
}
