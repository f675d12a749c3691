/**
 * qrcode's encoder alone (`qrcode/lib/core/qrcode`): the package's own entry also bundles its
 * PNG, terminal and canvas renderers, which the enrolment page (inline SVG) never uses. The type
 * is the package's own (@types/qrcode).
 */
declare module 'qrcode/lib/core/qrcode' {
  import type { QRCode, QRCodeOptions } from 'qrcode';
  export function create(text: string, options?: QRCodeOptions): QRCode;
}
