import { forwardToApi } from '@/lib/forward';

// A page view of a serialised item, counted by the API (POST /scans). The reader's IP address is
// not forwarded: the API sees only this server.
export async function POST(request: Request): Promise<Response> {
  return forwardToApi('/scans', { method: 'POST', body: await request.text() });
}
