import { Lazy } from './components/lazy.tsx';
import { Shell } from './components/shell.tsx';
import { SignIn } from './components/sign-in.tsx';
import { loadLinkPage } from './pages.ts';
import { useServices } from './services.ts';

/** Signed out: the sign-in screen (or a one-time link); signed in: the shell of the tenant. */
export function App() {
  const { sessions, router, prefs } = useServices();
  const session = sessions.session.value;
  const route = router.route.value;
  if (route.name === 'link') return <Lazy load={loadLinkPage} />;
  if (session === undefined) {
    return (
      <p class="centered" role="status">
        {prefs.t.loading}
      </p>
    );
  }
  if (session === null) return <SignIn />;
  // A new tenant or user is a new shell: its stores and socket start afresh.
  return <Shell key={`${session.user.id}/${session.currentTenantId}`} session={session} />;
}
