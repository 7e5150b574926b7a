/** The signed-in user (from `GET /api/auth/me`) and the theme, shared by every page. */
import { createContext, useContext } from 'react';

export interface Me {
  readonly username: string;
  readonly role: 'reader' | 'analyst' | 'admin';
  readonly credential?: string;
  readonly csrfToken?: string;
}

export interface SessionValue {
  readonly me: Me;
  readonly theme: 'light' | 'dark';
  setTheme(t: 'light' | 'dark'): void;
  logout(): Promise<void>;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside the signed-in shell');
  return s;
}

export const canWrite = (me: Me) => me.role === 'analyst' || me.role === 'admin';
