using System.Diagnostics;

namespace Mudbase.Emulator.State;

/// <summary>
/// What the areas of one emulator share: projects, users, the outbox, the statistics, and the one
/// lock (<see cref="Gate"/>) that guards these and every area's own state. An area keeps its tables
/// in a class of its own beside its endpoints (such as <see cref="Auth.AuthState"/>), is given this
/// store, and locks <see cref="Gate"/>; under it, the <c>…Locked</c> members here read and change the
/// shared tables, so that an operation spanning both (a password reset that changes the user and
/// revokes its sessions) is atomic without further thought. One lock is enough: calls are short and
/// in memory. Records are immutable, so values returned are safe to read after the lock is released.
/// </summary>
internal sealed class EmulatorStore
{
    private readonly Dictionary<string, Project> _projects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserAccount> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<(string ProjectId, string Email), string> _userIdsByEmail = [];
    private readonly Dictionary<(string ProjectId, string Phone), string> _userIdsByPhone = [];
    private readonly List<EmulatorOutboxMessage> _outbox = [];
    private EmulatorStatistics _statistics = new();

    /// <summary>The lock of all state, shared and areas' alike.</summary>
    public Lock Gate { get; } = new();

    public void AddProject(Project project)
    {
        lock (Gate)
        {
            _projects.Add(project.Id, project);
        }
    }

    public Project? FindProject(string projectId)
    {
        lock (Gate)
        {
            return _projects.GetValueOrDefault(projectId);
        }
    }

    /// <summary>Adds a user unless the project already has one with that email.</summary>
    /// <returns><see langword="false"/> when the email is taken.</returns>
    public bool TryAddUser(UserAccount user)
    {
        lock (Gate)
        {
            return TryAddUserLocked(user);
        }
    }

    public UserAccount? FindUserByEmail(string projectId, string email)
    {
        lock (Gate)
        {
            return FindUserByEmailLocked(projectId, email);
        }
    }

    public int CountUsers(string projectId)
    {
        lock (Gate)
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
        lock (Gate)
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
        lock (Gate)
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

    /// <summary>Adds to the statistics, such as <c>Count(static counts =&gt; counts with { Logins = counts.Logins + 1 })</c>.</summary>
    public void Count(Func<EmulatorStatistics, EmulatorStatistics> change)
    {
        lock (Gate)
        {
            CountLocked(change);
        }
    }

    public EmulatorStatistics GetStatistics()
    {
        lock (Gate)
        {
            return _statistics;
        }
    }

    public void AddToOutbox(EmulatorOutboxMessage message)
    {
        lock (Gate)
        {
            _outbox.Add(message);
        }
    }

    /// <summary>The messages to a recipient (any case), oldest first; every message when <paramref name="to"/> is null.</summary>
    public IReadOnlyList<EmulatorOutboxMessage> GetOutbox(string? to)
    {
        lock (Gate)
        {
            return to is null ? [.. _outbox] : [.. _outbox.Where(message => string.Equals(message.To, to, StringComparison.OrdinalIgnoreCase))];
        }
    }

    // The …Locked members below are for area states, which hold Gate while they call them.

    /// <summary>The user with this id; it must exist (ids come from sessions and tokens, and users are never removed).</summary>
    public UserAccount GetUserLocked(string userId)
    {
        Debug.Assert(Gate.IsHeldByCurrentThread, "Gate is not held.");
        return _users[userId];
    }

    public UserAccount? FindUserByEmailLocked(string projectId, string email)
    {
        Debug.Assert(Gate.IsHeldByCurrentThread, "Gate is not held.");
        return _userIdsByEmail.TryGetValue((projectId, email), out var userId) ? _users[userId] : null;
    }

    /// <summary>
    /// Swaps in a changed copy of an existing user. A new email must be free in the project: the caller
    /// checks it under the same lock (<see cref="FindUserByEmailLocked"/>), so a clash here is a bug.
    /// </summary>
    public void ReplaceUserLocked(UserAccount changed)
    {
        Debug.Assert(Gate.IsHeldByCurrentThread, "Gate is not held.");
        var current = _users[changed.Id];
        if (current.Email != changed.Email)
        {
            _userIdsByEmail.Add((changed.ProjectId, changed.Email), changed.Id);
            _userIdsByEmail.Remove((current.ProjectId, current.Email));
        }

        _users[changed.Id] = changed;
    }

    public void CountLocked(Func<EmulatorStatistics, EmulatorStatistics> change)
    {
        Debug.Assert(Gate.IsHeldByCurrentThread, "Gate is not held.");
        _statistics = change(_statistics);
    }

    private bool TryAddUserLocked(UserAccount user)
    {
        if (!_userIdsByEmail.TryAdd((user.ProjectId, user.Email), user.Id))
        {
            return false;
        }

        _users.Add(user.Id, user);
        CountLocked(static counts => counts with { UsersCreated = counts.UsersCreated + 1 });
        return true;
    }

    // For users whose email the emulator made up or just looked up under the lock: a clash is a bug.
    private UserAccount AddCreatedUserLocked(UserAccount user) =>
        TryAddUserLocked(user) ? user : throw new InvalidOperationException("The email of a user being created is already taken.");
}
