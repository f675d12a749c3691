/**
 * The enrolment pages: the QR code (drawn here as inline SVG from `qrcode`'s module matrix, no
 * image service, nothing the CSP must allow), the secret as text, the first code; then the
 * recovery codes, once. The SVG is built from numbers only, through `html`, so it escapes like
 * any page.
 */
import { UNBRANDED, type Brand } from '../brand/brand';
// The encoder alone (./qrcode-core.d.ts): not the renderers the package's entry bundles.
import { create } from 'qrcode/lib/core/qrcode';
import type { EnrolmentView } from '../flows/enrolment';
import type { Translator } from '../i18n/messages';
import { html, type SafeHtml } from './html';
import { AUTHENTICATOR_PATH } from './authenticator';
import { layout } from './layout';
import { hidden } from './pages';
import { textOf } from './say';

/** The QR code of `text` as an SVG path of its dark modules, with a quiet zone of 4. */
export function qrSvg(text: string, label: string): SafeHtml {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const size = modules.size + quiet * 2;
  const runs: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; column++) {
      if (modules.get(row, column)) runs.push(`M${column + quiet} ${row + quiet}h1v1h-1z`);
    }
  }
  return html`<svg
    class="qr"
    xmlns="http://www.w3.org/2000/svg"
    viewBox="0 0 ${size} ${size}"
    width="200"
    height="200"
    role="img"
    aria-label="${label}"
    shape-rendering="crispEdges"
  >
    <rect width="${size}" height="${size}" fill="#fff" />
    <path d="${runs.join('')}" fill="#000" />
  </svg>`;
}

/** The secret in groups of four, as apps ask for it typed. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

export function enrolmentPage(
  view: EnrolmentView,
  csrfToken: string,
  t: Translator,
  brand: Brand = UNBRANDED,
): SafeHtml {
  if (view.page === 'done') {
    return layout(
      t,
      t.text('page.enrol.doneTitle'),
      html`<h1>${t.text('page.enrol.doneTitle')}</h1>
        <p>${t.text(view.renewed ? 'page.enrol.renewedLead' : 'page.enrol.doneLead')}</p>
        <ul class="codes">
          ${view.recoveryCodes.map((code) => html`<li><code>${code}</code></li>`)}
        </ul>
        <p>${t.text('page.enrol.codesWarning')}</p>
        <p class="links"><a href="/account">${t.text('page.enrol.back')}</a></p>`,
      brand,
    );
  }
  return layout(
    t,
    t.text('page.enrol.title'),
    html`<h1>${t.text('page.enrol.title')}</h1>
      <p>${t.text('page.enrol.scan')}</p>
      ${qrSvg(view.uri, t.text('page.enrol.qrLabel'))}
      <p>${t.text('page.enrol.secretLabel')} <code>${grouped(view.secret)}</code></p>
      ${view.error ? html`<div class="alert" role="alert" id="enrol-error">${textOf(t, view.error)}</div>` : ''}
      <form method="post" action="${AUTHENTICATOR_PATH}">
        ${hidden('csrf', csrfToken)}
        <input type="hidden" name="action" value="enrol" />
        <input type="hidden" name="enrolment" value="${view.sealed}" />
        <label for="code">${t.text('page.enrol.code')}</label>
        <input
          id="code"
          name="code"
          type="text"
          dir="ltr"
          autocomplete="one-time-code"
          inputmode="numeric"
          pattern="[0-9 ]*"
          required
          maxlength="8"
          ${view.error ? html`aria-describedby="enrol-error" aria-invalid="true"` : ''}
        />
        <div class="actions">
          <button type="submit" class="primary">${t.text('page.enrol.submit')}</button>
        </div>
      </form>
      <p class="links"><a href="/account">${t.text('page.enrol.back')}</a></p>`,
    brand,
  );
}
