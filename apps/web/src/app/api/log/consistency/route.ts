import { forwardToApi } from '@/lib/forward';

// The consistency proof between two checkpoints, for the page's "the log only grew" check.
export async function GET(request: Request): Promise<Response> {
  const { searchParams } = new URL(request.url);
  const from = searchParams.get('from') ?? '';
  const to = searchParams.get('to') ?? '';
  return forwardToApi(
    `/log/proof/consistency?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
  );
}
