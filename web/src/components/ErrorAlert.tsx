/** An error the person can read (the API's message), with optional actions under it. */
import type { ReactNode } from 'react';

export function ErrorAlert({ title, error, children }: { title: string; error: Error | string; children?: ReactNode }) {
  return (
    <div className="alert alert--error" role="alert">
      <p className="alert__title">{title}</p>
      <p className="alert__message">{typeof error === 'string' ? error : error.message}</p>
      {children && <div className="alert__actions">{children}</div>}
    </div>
  );
}

export function Notice({ title, children, tone = 'info' }: { title: string; children?: ReactNode; tone?: 'info' | 'warning' | 'success' }) {
  return (
    <div className={`alert alert--${tone}`} role="status">
      <p className="alert__title">{title}</p>
      {children}
    </div>
  );
}
