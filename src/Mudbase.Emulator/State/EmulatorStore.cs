namespace Mudbase.Emulator.State;

/// <summary>
/// All state of one emulator: projects, users, sessions, refresh tokens and email-verification
/// tokens. One lock guards everything: calls are short, in memory, and a single lock makes
/// multi-record changes (such as rotating a refresh token) atomic without further thought.
/// Records are immutable, so values returned here are safe to read after the lock is released.
/// </summary>
internal sealed class EmulatorStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Project> _projects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserAccount> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<(string ProjectId, string Email), string> _userIdsByEmail = [];
    private readonly Dictionary<string, AuthSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshTokenRecord> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmailVerificationToken> _emailVerificationTokens = new(StringComparer.Ordinal);

    public void AddProject(Project project)
    {
        lock (_gate)
        {
            _projects.Add(project.Id, project);
        }
    }

    public Project? FindProject(string projectId)
    {
        lock (_gate)
        {
            return _projects.GetValueOrDefault(projectId);
        }
    }

    /// <summary>Adds a user unless the project already has one with that email.</summary>
    /// <returns><see langword="false"/> when the email is taken.</returns>
    public bool TryAddUser(UserAccount user)
    {
        lock (_gate)
        {
            if (!_userIdsByEmail.TryAdd((user.ProjectId, user.Email), user.Id))
            {
                return false;
            }

            _users.Add(user.Id, user);
            return true;
        }
    }

    public int CountUsers(string projectId)
    {
        lock (_gate)
        {
            return _users.Values.Count(user => user.ProjectId == projectId);
        }
    }

    /// <summary>Records a new session together with the first refresh token of its family.</summary>
    public void AddSession(AuthSession session, RefreshTokenRecord refreshToken)
    {
        lock (_gate)
        {
            _sessions.Add(session.Id, session);
            _refreshTokens.Add(refreshToken.Token, refreshToken);
        }
    }

    public void AddEmailVerificationToken(EmailVerificationToken token)
    {
        lock (_gate)
        {
            _emailVerificationTokens.Add(token.Token, token);
        }
    }
}
