using Mudbase.Emulator.Auth;

namespace Mudbase.Emulator.State;

/// <summary>
/// All state of one emulator: projects, users, sessions, refresh tokens, the one-time secrets of
/// verification, reset and passwordless sign-in, pending OAuth consents, the outbox and the
/// statistics. One lock guards everything: calls are short, in memory, and a single lock makes
/// multi-record changes (such as rotating a refresh token) atomic without further thought.
/// Records are immutable, so values returned here are safe to read after the lock is released.
/// Expired secrets are dropped when they are next presented; nothing sweeps them, because an
/// emulator lives for one test run.
/// </summary>
internal sealed class EmulatorStore
{
    /// <summary>Wrong guesses after which a 6-digit code is burnt.</summary>
    public const int MaxCodeAttempts = 5;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Project> _projects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserAccount> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<(string ProjectId, string Email), string> _userIdsByEmail = [];
    private readonly Dictionary<(string ProjectId, string Phone), string> _userIdsByPhone = [];
    private readonly Dictionary<string, AuthSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshTokenRecord> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmailVerificationToken> _emailVerificationTokens = new(StringComparer.Ordinal);
    // Keyed by user id: only the newest code of a user is valid.
    private readonly Dictionary<string, OneTimeCode> _passwordResetCodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PasswordResetToken> _passwordResetTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MagicLinkToken> _magicLinkTokens = new(StringComparer.Ordinal);
    // Keyed by project and email or phone: sign-in codes may name someone who is not a user yet.
    private readonly Dictionary<(string ProjectId, string Identifier), OneTimeCode> _signInCodes = [];
    private readonly Dictionary<string, OAuthAuthorization> _oauthAuthorizations = new(StringComparer.Ordinal);
    private readonly List<EmulatorOutboxMessage> _outbox = [];
    private EmulatorStatistics _statistics = new();

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
            return TryAddUserLocked(user);
        }
    }

    public UserAccount? FindUserByEmail(string projectId, string email)
    {
        lock (_gate)
        {
            return _userIdsByEmail.TryGetValue((projectId, email), out var userId) ? _users[userId] : null;
        }
    }

    public int CountUsers(string projectId)
    {
        lock (_gate)
        {
            return _users.Values.Count(user => user.ProjectId == projectId);
        }
    }

    /// <summary>
    /// Finds the project's user with this email and marks the email verified, or adds the user
    /// <paramref name="create"/> makes. For sign-ins that prove the email (magic link, email OTP, OAuth).
    /// </summary>
    public (UserAccount User, bool Created) GetOrAddVerifiedUser(string projectId, string email, Func<UserAccount> create)
    {
        lock (_gate)
        {
            if (_userIdsByEmail.TryGetValue((projectId, email), out var userId))
            {
                var user = _users[userId];
                if (!user.EmailVerified)
                {
                    user = user with { EmailVerified = true };
                    _users[userId] = user;
                }

                return (user, false);
            }

            return (AddCreatedUserLocked(create()), true);
        }
    }

    /// <summary>Finds the project's user with this phone number, or adds the user <paramref name="create"/> makes.</summary>
    public (UserAccount User, bool Created) GetOrAddPhoneUser(string projectId, string phone, Func<UserAccount> create)
    {
        lock (_gate)
        {
            if (_userIdsByPhone.TryGetValue((projectId, phone), out var userId))
            {
                return (_users[userId], false);
            }

            var user = AddCreatedUserLocked(create());
            _userIdsByPhone.Add((projectId, phone), user.Id);
            return (user, true);
        }
    }

    /// <summary>
    /// Turns a guest into a full account under the same id, and revokes the guest's session in the
    /// same step, so that no request can see the account converted while the old session still works.
    /// </summary>
    public ConversionOutcome ConvertAnonymousUser(
        string userId, string sessionId, string email, string passwordHash, string? firstName, string? lastName, bool emailVerified, DateTimeOffset now)
    {
        lock (_gate)
        {
            var user = _users[userId];
            if (!user.IsAnonymous)
            {
                return new ConversionOutcome(ConversionStatus.NotAnonymous);
            }

            if (!_userIdsByEmail.TryAdd((user.ProjectId, email), userId))
            {
                return new ConversionOutcome(ConversionStatus.EmailTaken);
            }

            _userIdsByEmail.Remove((user.ProjectId, user.Email));
            user = user with
            {
                Email = email,
                PasswordHash = passwordHash,
                FirstName = firstName ?? user.FirstName,
                LastName = lastName ?? user.LastName,
                EmailVerified = emailVerified,
                IsAnonymous = false,
            };
            _users[userId] = user;
            RevokeSessionLocked(sessionId, now);
            return new ConversionOutcome(ConversionStatus.Converted, user);
        }
    }

    /// <summary>Records a new session together with the first refresh token of its family.</summary>
    public void AddSession(AuthSession session, RefreshTokenRecord refreshToken)
    {
        lock (_gate)
        {
            _sessions.Add(session.Id, session);
            _refreshTokens.Add(refreshToken.Token, refreshToken);
            _statistics = _statistics with { SessionsStarted = _statistics.SessionsStarted + 1 };
        }
    }

    /// <summary>The session's user, if the session exists, belongs to that user, and is not revoked.</summary>
    public UserAccount? FindActiveSessionUser(string sessionId, string userId)
    {
        lock (_gate)
        {
            return _sessions.TryGetValue(sessionId, out var session) && session.RevokedAt is null && session.UserId == userId
                ? _users[userId]
                : null;
        }
    }

    /// <summary>Revokes a session: its access tokens and every refresh token of its family stop working.</summary>
    public void RevokeSession(string sessionId, DateTimeOffset now)
    {
        lock (_gate)
        {
            RevokeSessionLocked(sessionId, now);
        }
    }

    /// <summary>
    /// Exchanges a refresh token, all in one step: checking it, marking it used and storing its
    /// successor must not interleave with another exchange of the same token, or two concurrent
    /// refreshes could both succeed and the reuse would go unnoticed.
    /// </summary>
    /// <param name="presented">The refresh token the client sent.</param>
    /// <param name="successor">The new token's value, generated by the caller.</param>
    /// <param name="now">The current time.</param>
    /// <param name="successorExpiresAt">When the new token expires.</param>
    public RefreshOutcome RotateRefreshToken(string presented, string successor, DateTimeOffset now, DateTimeOffset successorExpiresAt)
    {
        lock (_gate)
        {
            if (!_refreshTokens.TryGetValue(presented, out var record))
            {
                return new RefreshOutcome(RefreshStatus.Invalid);
            }

            // Reuse is checked before expiry and revocation: a spent token shown again means it was
            // copied, whatever else is true of it, and the client must hear that its session is gone.
            if (record.UsedAt is not null)
            {
                _statistics = _statistics with { RefreshTokenReuses = _statistics.RefreshTokenReuses + 1 };
                RevokeSessionLocked(record.SessionId, now);
                return new RefreshOutcome(RefreshStatus.Reused);
            }

            if (_sessions[record.SessionId].RevokedAt is not null || now >= record.ExpiresAt)
            {
                return new RefreshOutcome(RefreshStatus.Invalid);
            }

            _refreshTokens[presented] = record with { UsedAt = now };
            _refreshTokens.Add(successor, new RefreshTokenRecord(successor, record.SessionId, record.UserId, now, successorExpiresAt));
            return new RefreshOutcome(RefreshStatus.Rotated, _users[record.UserId], record.SessionId);
        }
    }

    public void CountRefreshRequest()
    {
        lock (_gate)
        {
            _statistics = _statistics with { RefreshRequests = _statistics.RefreshRequests + 1 };
        }
    }

    public void CountDuplicateRegistration()
    {
        lock (_gate)
        {
            _statistics = _statistics with { DuplicateRegistrations = _statistics.DuplicateRegistrations + 1 };
        }
    }

    public void CountLogin()
    {
        lock (_gate)
        {
            _statistics = _statistics with { Logins = _statistics.Logins + 1 };
        }
    }

    public EmulatorStatistics GetStatistics()
    {
        lock (_gate)
        {
            return _statistics;
        }
    }

    public void AddEmailVerificationToken(EmailVerificationToken token)
    {
        lock (_gate)
        {
            _emailVerificationTokens.Add(token.Token, token);
        }
    }

    /// <summary>
    /// Marks the token's user verified and drops every verification token of that user, since
    /// the other links have nothing left to do.
    /// </summary>
    /// <param name="token">The token from the message.</param>
    /// <param name="projectId">The project the client named, if any: a token of another project does not match.</param>
    /// <param name="now">The current time.</param>
    /// <returns><see langword="false"/> when the token is unknown, expired, used, or of another project.</returns>
    public bool VerifyEmail(string token, string? projectId, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_emailVerificationTokens.TryGetValue(token, out var record)
                || projectId is not null && !string.Equals(projectId, record.ProjectId, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (now >= record.ExpiresAt)
            {
                _emailVerificationTokens.Remove(token);
                return false;
            }

            _users[record.UserId] = _users[record.UserId] with { EmailVerified = true };
            RemoveWhereLocked(_emailVerificationTokens, other => other.UserId == record.UserId);
            return true;
        }
    }

    /// <summary>
    /// Keeps the secrets of a new reset message (the code and the legacy link token, both for
    /// <paramref name="token"/>'s user) and drops those of earlier ones: only the newest message works.
    /// </summary>
    public void StartPasswordReset(OneTimeCode code, PasswordResetToken token)
    {
        lock (_gate)
        {
            _passwordResetCodes[token.UserId] = code;
            RemoveWhereLocked(_passwordResetTokens, other => other.UserId == token.UserId);
            _passwordResetTokens.Add(token.Token, token);
        }
    }

    /// <summary>Sets a new password if the code is the user's current, unexpired reset code. See <see cref="ApplyPasswordResetLocked"/>.</summary>
    /// <returns><see langword="false"/> for an unknown user, no code, a wrong code, or an expired one.</returns>
    public bool ResetPasswordWithCode(string projectId, string email, string code, string passwordHash, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_userIdsByEmail.TryGetValue((projectId, email), out var userId) || !TryTakeCodeLocked(_passwordResetCodes, userId, code, now))
            {
                return false;
            }

            ApplyPasswordResetLocked(userId, passwordHash, now);
            return true;
        }
    }

    /// <summary>Sets a new password if the legacy reset token is valid. See <see cref="ApplyPasswordResetLocked"/>.</summary>
    /// <param name="token">The token from the link.</param>
    /// <param name="projectId">The project the client named, if any: a token of another project does not match.</param>
    /// <param name="passwordHash">The new password's hash.</param>
    /// <param name="now">The current time.</param>
    /// <returns><see langword="false"/> when the token is unknown, expired, used, or of another project.</returns>
    public bool ResetPasswordWithToken(string token, string? projectId, string passwordHash, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_passwordResetTokens.TryGetValue(token, out var record)
                || projectId is not null && !string.Equals(projectId, record.ProjectId, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (now >= record.ExpiresAt)
            {
                _passwordResetTokens.Remove(token);
                return false;
            }

            ApplyPasswordResetLocked(record.UserId, passwordHash, now);
            return true;
        }
    }

    public void AddMagicLinkToken(MagicLinkToken token)
    {
        lock (_gate)
        {
            _magicLinkTokens.Add(token.Token, token);
        }
    }

    /// <summary>Removes and returns a magic-link token: links are single-use.</summary>
    /// <returns>The token, or <see langword="null"/> when it is unknown, used or expired.</returns>
    public MagicLinkToken? TakeMagicLinkToken(string token, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _magicLinkTokens.Remove(token, out var record) && now < record.ExpiresAt ? record : null;
        }
    }

    /// <summary>Keeps a new sign-in code for an email or phone, replacing any earlier one.</summary>
    public void SetSignInCode(OneTimeCode code)
    {
        lock (_gate)
        {
            _signInCodes[(code.ProjectId, code.Subject)] = code;
        }
    }

    /// <summary>Spends the sign-in code if it is the identifier's current, unexpired one.</summary>
    public bool TakeSignInCode(string projectId, string identifier, string code, DateTimeOffset now)
    {
        lock (_gate)
        {
            return TryTakeCodeLocked(_signInCodes, (projectId, identifier), code, now);
        }
    }

    public void AddOAuthAuthorization(OAuthAuthorization authorization)
    {
        lock (_gate)
        {
            _oauthAuthorizations.Add(authorization.State, authorization);
        }
    }

    /// <summary>The pending authorization, left in place (the consent page only shows it).</summary>
    public OAuthAuthorization? FindOAuthAuthorization(string state, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _oauthAuthorizations.TryGetValue(state, out var authorization) && now < authorization.ExpiresAt ? authorization : null;
        }
    }

    /// <summary>Removes and returns the pending authorization: a consent is answered once.</summary>
    public OAuthAuthorization? TakeOAuthAuthorization(string state, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _oauthAuthorizations.Remove(state, out var authorization) && now < authorization.ExpiresAt ? authorization : null;
        }
    }

    public void AddToOutbox(EmulatorOutboxMessage message)
    {
        lock (_gate)
        {
            _outbox.Add(message);
        }
    }

    /// <summary>The messages to a recipient (any case), oldest first; every message when <paramref name="to"/> is null.</summary>
    public IReadOnlyList<EmulatorOutboxMessage> GetOutbox(string? to)
    {
        lock (_gate)
        {
            return to is null ? [.. _outbox] : [.. _outbox.Where(message => string.Equals(message.To, to, StringComparison.OrdinalIgnoreCase))];
        }
    }

    private bool TryAddUserLocked(UserAccount user)
    {
        if (!_userIdsByEmail.TryAdd((user.ProjectId, user.Email), user.Id))
        {
            return false;
        }

        _users.Add(user.Id, user);
        _statistics = _statistics with { UsersCreated = _statistics.UsersCreated + 1 };
        return true;
    }

    // For users whose email the emulator made up or just looked up under the lock: a clash is a bug.
    private UserAccount AddCreatedUserLocked(UserAccount user) =>
        TryAddUserLocked(user) ? user : throw new InvalidOperationException("The email of a user being created is already taken.");

    private void RevokeSessionLocked(string sessionId, DateTimeOffset now)
    {
        // Revoking twice keeps the first time, and counts once.
        if (_sessions.TryGetValue(sessionId, out var session) && session.RevokedAt is null)
        {
            _sessions[sessionId] = session with { RevokedAt = now };
            _statistics = _statistics with { SessionsRevoked = _statistics.SessionsRevoked + 1 };
        }
    }

    /// <summary>
    /// Sets the password, marks the email verified (the reset proved it, as the hosted service
    /// treats it), spends every outstanding reset secret of the user, and revokes the user's
    /// sessions: a reset is what a user does when someone else may hold the password, and maybe
    /// the tokens too.
    /// </summary>
    private void ApplyPasswordResetLocked(string userId, string passwordHash, DateTimeOffset now)
    {
        _users[userId] = _users[userId] with { PasswordHash = passwordHash, EmailVerified = true };
        _passwordResetCodes.Remove(userId);
        RemoveWhereLocked(_passwordResetTokens, token => token.UserId == userId);
        foreach (var session in _sessions.Values.Where(session => session.UserId == userId).ToList())
        {
            RevokeSessionLocked(session.Id, now);
        }
    }

    private static bool TryTakeCodeLocked<TKey>(Dictionary<TKey, OneTimeCode> codes, TKey key, string code, DateTimeOffset now)
        where TKey : notnull
    {
        if (!codes.TryGetValue(key, out var current))
        {
            return false;
        }

        if (now >= current.ExpiresAt)
        {
            codes.Remove(key);
            return false;
        }

        if (current.Code != code)
        {
            var failed = current with { FailedAttempts = current.FailedAttempts + 1 };
            if (failed.FailedAttempts >= MaxCodeAttempts)
            {
                codes.Remove(key);
            }
            else
            {
                codes[key] = failed;
            }

            return false;
        }

        codes.Remove(key);
        return true;
    }

    private static void RemoveWhereLocked<TValue>(Dictionary<string, TValue> records, Func<TValue, bool> predicate)
    {
        foreach (var key in records.Where(entry => predicate(entry.Value)).Select(entry => entry.Key).ToList())
        {
            records.Remove(key);
        }
    }
}
