import { handleLabelsGet, handleLabelsPost } from '@/lib/labels/labels-response';

// Printable A4 sheets of QR code labels; the `qrcode` package's server build needs Node.js.
export const runtime = 'nodejs';

export function GET(request: Request): Promise<Response> {
  return handleLabelsGet(request);
}

export function POST(request: Request): Promise<Response> {
  return handleLabelsPost(request);
}
