import { apiPublicUrl } from '@/lib/api-config';
import { publicBaseUrl } from '@/lib/config';
import { linksetFor, linksFor } from '@/lib/dl/links';
import { canonicalPathOfSegments } from '@/lib/dl/resolve';
import { loadTrace } from '@/lib/story/load';
import { activeRecall, identifiersByEvent } from '@/lib/story/build';

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

// The RFC 9264 linkset of a Digital Link (the resolver in proxy.ts rewrites `?linkType=all` and
// `Accept: application/linkset+json` here, with the canonical path).
export async function GET(request: Request): Promise<Response> {
  const requested = new URL(request.url).pathname.replace(/^\/linkset/, '');
  // Reached through the resolver with a canonical path; anything else is refused here too.
  const path = canonicalPathOfSegments(requested.split('/').slice(2).map(decodeSegment));
  if (path === undefined || path !== requested) {
    return Response.json(
      {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'not a canonical GS1 Digital Link path',
      },
      { status: 400, headers: { 'content-type': 'application/problem+json' } },
    );
  }
  let recalled = false;
  try {
    // The recall state only: no proofs, no master data.
    const trace = await loadTrace(path, { bundle: false });
    recalled = activeRecall(trace.events, identifiersByEvent(trace)) !== undefined;
  } catch {
    // Without the API the recall status is unknown: the other links still resolve.
  }
  const publicBase = publicBaseUrl();
  const links = linksFor(path, { publicBase, apiPublic: apiPublicUrl() }, recalled);
  return new Response(JSON.stringify(linksetFor(path, links, publicBase)), {
    headers: {
      'content-type': 'application/linkset+json',
      link: `<${publicBase}${path}>; rel="https://gs1.org/voc/pip"`,
      vary: 'Accept',
    },
  });
}
