import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { api, call, session, type Schemas } from './api/client';

function subscribe(listener: () => void) {
  window.addEventListener('market:session', listener);
  window.addEventListener('storage', listener);
  return () => {
    window.removeEventListener('market:session', listener);
    window.removeEventListener('storage', listener);
  };
}

/** The signed-in user (`GET /api/v1/me`), or null. */
export function useMe(): { me: Schemas['MeView'] | null; loading: boolean } {
  const token = useSyncExternalStore(subscribe, session.token);
  const client = useQueryClient();
  const query = useQuery({
    queryKey: ['me', token],
    enabled: Boolean(token),
    queryFn: () => call(api.GET('/api/v1/me')),
    staleTime: 60_000,
    retry: false,
  });
  useEffect(() => {
    if (!token) client.removeQueries({ queryKey: ['me'] });
  }, [token, client]);
  return { me: token ? (query.data ?? null) : null, loading: Boolean(token) && query.isPending };
}

export const hasRole = (me: Schemas['MeView'] | null, role: Schemas['Role']) => Boolean(me?.roles.includes(role));
