import { apiPublicUrl } from '@/lib/api-config';
import { publicBaseUrl } from '@/lib/config';
import { linksetFor, linksFor } from '@/lib/dl/links';
import { loadStory } from '@/lib/story/load';
import { activeRecall } from '@/lib/story/build';

// The RFC 9264 linkset of a Digital Link (the resolver in proxy.ts rewrites `?linkType=all` and
// `Accept: application/linkset+json` here, with the canonical path).
export async function GET(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname.replace(/^\/linkset/, '');
  let recalled = false;
  try {
    recalled = activeRecall((await loadStory(path)).trace.events) !== undefined;
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
