import { forwardToApi } from '@/lib/forward';

// A page view of a serialised item, counted by the API (POST /scans); GET reads the count without
// adding one. The reader's IP address is not forwarded: the API sees only this server.
export async function POST(request: Request): Promise<Response> {
  return forwardToApi('/scans', { method: 'POST', body: await request.text() });
}

export async function GET(request: Request): Promise<Response> {
  const identifier = new URL(request.url).searchParams.get('identifier') ?? '';
  return forwardToApi(`/scans/${encodeURIComponent(identifier)}`);
}
