/**
 * Strict application/x-www-form-urlencoded parsing: invalid percent-encoding or UTF-8 is an
 * error (URLSearchParams would silently turn it into U+FFFD), and repeated names are kept so
 * that single-value fields can refuse duplicates.
 */
import { badRequest } from './errors';

export class FormFields {
  constructor(private readonly fields: Map<string, string[]>) {}

  /** The field's value, `undefined` when absent; a field sent twice is refused. */
  one(name: string): string | undefined {
    const values = this.fields.get(name);
    if (!values) return undefined;
    if (values.length > 1)
      throw badRequest({ key: 'error.duplicateField', params: { field: name } });
    return values[0];
  }

  all(name: string): string[] {
    return this.fields.get(name) ?? [];
  }

  /**
   * The field's value, which must be one of `allowed` (a form's buttons; `absent` when the field
   * is missing); anything else is a client mistake.
   */
  choice<T extends string>(name: string, allowed: readonly T[], absent?: T): T {
    const value = this.one(name) ?? absent;
    const found = allowed.find((candidate) => candidate === value);
    if (found === undefined) throw badRequest({ key: 'error.noButton' });
    return found;
  }
}

function decodeComponent(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    throw badRequest({ key: 'error.notFormData' });
  }
}

export function parseUrlEncoded(text: string): FormFields {
  const fields = new Map<string, string[]>();
  if (text.length > 0) {
    for (const pair of text.split('&')) {
      if (pair === '') continue;
      const equals = pair.indexOf('=');
      const name = decodeComponent(equals < 0 ? pair : pair.slice(0, equals));
      const value = equals < 0 ? '' : decodeComponent(pair.slice(equals + 1));
      const values = fields.get(name);
      if (values) values.push(value);
      else fields.set(name, [value]);
    }
  }
  return new FormFields(fields);
}
