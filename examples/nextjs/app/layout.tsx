import type { ReactNode } from 'react';

export const metadata = { title: 'AI Stats webhooks · Next.js example' };

// System fonts only: nothing is fetched from the internet at build or run time.
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', margin: '2rem' }}>{children}</body>
    </html>
  );
}
