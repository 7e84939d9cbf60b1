import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { useRoute } from '../router';
import { ConversationListPage } from './conversation-list-page';
import { ConversationPage } from './conversation-page';
import { NewConversationPage } from './new-conversation-page';

async function logOut(): Promise<void> {
  await api('DELETE', '/api/troupe/session').catch(() => undefined);
  window.location.assign('/login');
}

/** The page frame and the page the hash names. */
export function App() {
  const route = useRoute();
  // A server without a session key has no login to leave.
  const [keyRequired, setKeyRequired] = useState(false);
  useEffect(() => {
    api<{ key_required: boolean }>('GET', '/api/troupe/session').then((session) => setKeyRequired(session.key_required), () => undefined);
  }, []);
  return (
    <div class="app">
      <header class="topbar">
        <a class="brand" href="#/">Troupe</a>
        <nav>
          <a href="#/">Conversations</a>
          <a href="#/new" data-testid="new-conversation-link">New conversation</a>
          <a href="/docs" target="_blank" rel="noreferrer">API</a>
          {keyRequired && (
            <button type="button" class="link" onClick={() => void logOut()}>
              Log out
            </button>
          )}
        </nav>
      </header>
      <main>
        {route.page === 'list' && <ConversationListPage />}
        {route.page === 'new' && <NewConversationPage />}
        {route.page === 'conversation' && <ConversationPage key={route.id} id={route.id} />}
      </main>
    </div>
  );
}
