import type { ReactNode } from 'react';

import { siteMetadata, siteViewport } from '@/lib/site';

import './globals.css';

export const metadata = siteMetadata;
export const viewport = siteViewport;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
