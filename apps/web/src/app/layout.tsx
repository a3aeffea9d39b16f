import { headers } from 'next/headers';
import type { ReactNode } from 'react';

import { asLocale, LOCALE_HEADER } from '@/lib/i18n/locale';
import { siteMetadata, siteViewport } from '@/lib/site';

import './globals.css';

export const metadata = siteMetadata;
export const viewport = siteViewport;

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The product pages' language (set by the resolver); English elsewhere.
  const lang = asLocale((await headers()).get(LOCALE_HEADER)) ?? 'en';
  return (
    <html lang={lang}>
      <body>{children}</body>
    </html>
  );
}
