import { handleQrRequest } from '@/lib/qr/qr-response';

// QR codes of GS1 Digital Link URIs: /qr/01/{gtin}[/10/{lot}][/21/{serial}].{svg|png}.
// node:crypto (ETag) and the `qrcode` package's PNG renderer (pngjs) need the Node.js runtime.
export const runtime = 'nodejs';

export function GET(request: Request): Promise<Response> {
  return handleQrRequest(request);
}
