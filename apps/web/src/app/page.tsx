import { SITE } from '@/lib/site';

export default function HomePage() {
  return (
    <main>
      <h1>{SITE.name}</h1>
      <p className="tagline">{SITE.tagline}</p>
      <p>{SITE.summary}</p>
    </main>
  );
}
