import { useState } from 'preact/hooks';
import type {
  InvitationCreated,
  ResetLink,
  Role,
  Team,
  TeamMember,
} from '../../../server/protocol/console.ts';
import { formatDateTime } from '../components/time.ts';
import { useServices } from '../services.ts';
import { pageStrings } from './page-strings.ts';
import { useLoad } from './use-load.ts';

const ROLES: Role[] = ['agent', 'admin', 'owner'];

/** Owners manage the team: members and their roles, invitations, reset links to copy. */
export default function TeamPage() {
  const { api, prefs, sessions } = useServices();
  const lang = prefs.lang.value;
  const p = pageStrings[lang];
  const t = prefs.t;
  const team = useLoad(() => api.get<Team>('/team'));
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [link, setLink] = useState<{ link: string | null; emailed: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const me = sessions.session.value?.user.id;

  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
      team.reload();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  return (
    <div class="page">
      <h1>{p.teamTitle}</h1>
      {(error ?? team.error) && (
        <p role="alert" class="error">
          {error ?? team.error}
        </p>
      )}
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          void run(async () => {
            const created = await api.post<InvitationCreated>('/team/invitations', {
              email: email.trim(),
              role,
            });
            setLink({ link: created.link, emailed: created.emailed });
            setEmail('');
          });
        }}
      >
        <label>
          {t.email}
          <input type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          {p.role}
          <select value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {p.roles[r]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="primary">
          {p.invite}
        </button>
      </form>
      {link && (
        <div role="status">
          {link.link && (
            <label>
              {p.linkToCopy}
              <input readOnly value={link.link} onFocus={(e) => e.currentTarget.select()} />
            </label>
          )}
          {link.emailed && <p>{p.emailed}</p>}
        </div>
      )}
      <section aria-labelledby="members-title">
        <h2 id="members-title">{p.members}</h2>
        {!team.data ? (
          <p role="status">{t.loading}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t.name}</th>
                <th scope="col">{t.email}</th>
                <th scope="col">{p.role}</th>
                <th scope="col">{p.twoFactor}</th>
                <th scope="col">{p.lastLogin}</th>
                <th scope="col">
                  <span class="visually-hidden">{p.remove}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {team.data.members.map((member: TeamMember) => (
                <tr key={member.id}>
                  <td>{member.name ?? '—'}</td>
                  <td>{member.email}</td>
                  <td>
                    <select
                      aria-label={`${p.role}: ${member.email}`}
                      value={member.role}
                      disabled={member.id === me}
                      onChange={(e) =>
                        void run(() =>
                          api.patch(`/team/members/${member.id}`, { role: e.currentTarget.value }),
                        )
                      }
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {p.roles[r]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{member.totpEnabled ? p.on : p.off}</td>
                  <td>{member.lastLoginAt ? formatDateTime(member.lastLoginAt, lang) : p.never}</td>
                  <td>
                    {member.id !== me && (
                      <>
                        <button
                          type="button"
                          onClick={() =>
                            void run(async () => {
                              const reset = await api.post<ResetLink>(
                                `/team/members/${member.id}/reset-link`,
                              );
                              setLink(reset);
                            })
                          }
                        >
                          {p.resetLink}
                        </button>{' '}
                        <button
                          type="button"
                          onClick={() =>
                            confirm(p.confirmRemove(member.email)) &&
                            void run(() => api.delete(`/team/members/${member.id}`))
                          }
                        >
                          {p.remove}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {team.data && team.data.invitations.length > 0 && (
        <section aria-labelledby="invitations-title">
          <h2 id="invitations-title">{p.invitations}</h2>
          <ul>
            {team.data.invitations.map((invitation) => (
              <li key={invitation.id}>
                {invitation.email} · {p.roles[invitation.role]} · {p.expires}{' '}
                {formatDateTime(invitation.expiresAt, lang)}{' '}
                <button
                  type="button"
                  onClick={() => void run(() => api.delete(`/team/invitations/${invitation.id}`))}
                >
                  {p.cancelInvitation}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
