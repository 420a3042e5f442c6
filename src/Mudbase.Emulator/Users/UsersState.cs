using Mudbase.Emulator.Auth;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;
using OtpNet;

namespace Mudbase.Emulator.Users;

/// <summary>A provider linked to an account.</summary>
internal sealed record ProviderLink(string Provider, string ProviderId, string Email, DateTimeOffset LinkedAt);

/// <summary>What the users area keeps beside the shared user record: the avatar, two-factor secrets, linked providers.</summary>
internal sealed record UserExtras
{
    public string? Avatar { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The secret of a setup not yet confirmed by a code.</summary>
    public string? PendingTotpSecret { get; init; }

    /// <summary>The secret in force: 2FA is on when it is set.</summary>
    public string? TotpSecret { get; init; }

    /// <summary>The last time step whose code was accepted: a code is good once (RFC 6238, section 5.2).</summary>
    public long LastTotpStep { get; init; } = -1;

    public IReadOnlyList<ProviderLink> Links { get; init; } = [];
}

/// <summary>How a users-area change ended: done, or the 400 message that refuses it.</summary>
internal readonly record struct UsersOutcome(string? Refusal, int SessionsRevoked = 0)
{
    public static UsersOutcome Done(int sessionsRevoked = 0) => new(null, sessionsRevoked);

    public static UsersOutcome Refused(string message) => new(message);
}

/// <summary>
/// The users area's state (<c>/api/users</c>), guarded by the shared <see cref="EmulatorStore.Gate"/>, so that a
/// password change or an erasure and the sessions it revokes are one step. Two-factor codes are real TOTP codes
/// (RFC 6238: SHA-1, 6 digits, 30 seconds, one step of drift either way), checked against the emulator's clock.
/// </summary>
internal sealed class UsersState(EmulatorStore store, AuthState auth, TimeProvider timeProvider)
{
    private readonly Dictionary<string, UserExtras> _extras = new(StringComparer.Ordinal);

    public UserExtras Extras(string userId)
    {
        lock (store.Gate)
        {
            return ExtrasLocked(userId);
        }
    }

    public UserAccount UpdateProfile(string userId, string? firstName, string? lastName, string? avatar)
    {
        lock (store.Gate)
        {
            var current = store.GetUserLocked(userId);
            var user = current with { FirstName = firstName ?? current.FirstName, LastName = lastName ?? current.LastName };
            store.ReplaceUserLocked(user);
            var extras = ExtrasLocked(userId);
            _extras[userId] = extras with { Avatar = avatar ?? extras.Avatar, UpdatedAt = timeProvider.GetUtcNow() };
            return user;
        }
    }

    /// <summary>Sets a new password and signs the user out everywhere but the session that asked.</summary>
    public UsersOutcome ChangePassword(string userId, string sessionId, string currentPassword, string newPasswordHash)
    {
        lock (store.Gate)
        {
            var user = store.GetUserLocked(userId);
            if (user.PasswordHash is null)
            {
                return UsersOutcome.Refused("This account has no password to change");
            }

            if (!PasswordHasher.Verify(currentPassword, user.PasswordHash))
            {
                return UsersOutcome.Refused("Current password is incorrect");
            }

            store.ReplaceUserLocked(user with { PasswordHash = newPasswordHash });
            return UsersOutcome.Done(auth.RevokeUserSessionsLocked(userId, timeProvider.GetUtcNow(), keepSessionId: sessionId));
        }
    }

    /// <summary>Makes a new secret, replacing any earlier unconfirmed one; null when 2FA is on already.</summary>
    public string? StartTwoFactor(string userId)
    {
        lock (store.Gate)
        {
            var extras = ExtrasLocked(userId);
            if (extras.TotpSecret is not null)
            {
                return null;
            }

            var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
            _extras[userId] = extras with { PendingTotpSecret = secret };
            return secret;
        }
    }

    public UsersOutcome EnableTwoFactor(string userId, string code)
    {
        lock (store.Gate)
        {
            var extras = ExtrasLocked(userId);
            if (extras.PendingTotpSecret is not { } secret)
            {
                return UsersOutcome.Refused(extras.TotpSecret is null ? "2FA setup has not been started" : "2FA is already enabled");
            }

            if (Verify(secret, code, extras.LastTotpStep) is not { } step)
            {
                return UsersOutcome.Refused("Invalid 2FA token");
            }

            _extras[userId] = extras with { TotpSecret = secret, PendingTotpSecret = null, LastTotpStep = step };
            return UsersOutcome.Done();
        }
    }

    public UsersOutcome DisableTwoFactor(string userId, string password, string code)
    {
        lock (store.Gate)
        {
            var extras = ExtrasLocked(userId);
            if (extras.TotpSecret is null)
            {
                return UsersOutcome.Refused("2FA is not enabled");
            }

            if (!PasswordHasher.Verify(password, store.GetUserLocked(userId).PasswordHash))
            {
                return UsersOutcome.Refused("Invalid password");
            }

            if (!TrySpendCodeLocked(userId, code))
            {
                return UsersOutcome.Refused("Invalid 2FA token");
            }

            _extras[userId] = ExtrasLocked(userId) with { TotpSecret = null };
            return UsersOutcome.Done();
        }
    }

    /// <summary>Anonymizes the account, forgets its extras and revokes every session it has, in one step.</summary>
    public UsersOutcome Erase(string userId, string? currentPassword, string? totpCode)
    {
        lock (store.Gate)
        {
            var user = store.GetUserLocked(userId);
            if (user.PasswordHash is not null && !PasswordHasher.Verify(currentPassword ?? "", user.PasswordHash))
            {
                return UsersOutcome.Refused(currentPassword is null ? "Current password is required" : "Current password is incorrect");
            }

            if (ExtrasLocked(userId).TotpSecret is not null && (totpCode is null || !TrySpendCodeLocked(userId, totpCode)))
            {
                return UsersOutcome.Refused(totpCode is null ? "2FA token is required" : "Invalid 2FA token");
            }

            store.ReplaceUserLocked(user with
            {
                Email = $"erased_{user.Id}@erased.invalid",
                FirstName = "Erased",
                LastName = "User",
                PasswordHash = null,
                Phone = null,
                CustomRole = null,
                DeviceId = null,
            });
            _extras.Remove(userId);
            return UsersOutcome.Done(auth.RevokeUserSessionsLocked(userId, timeProvider.GetUtcNow()));
        }
    }

    /// <summary>Links a provider at once (the emulator has no provider to consent with); linking again keeps the first link.</summary>
    public void Link(string userId, string provider)
    {
        lock (store.Gate)
        {
            var extras = ExtrasLocked(userId);
            if (extras.Links.Any(link => link.Provider == provider))
            {
                return;
            }

            var link = new ProviderLink(provider, Guid.NewGuid().ToString("N")[..20], store.GetUserLocked(userId).Email, timeProvider.GetUtcNow());
            _extras[userId] = extras with { Links = [.. extras.Links, link] };
        }
    }

    /// <returns>Done, refused (the last way to sign in), or null when the provider is not linked.</returns>
    public UsersOutcome? Unlink(string userId, string provider)
    {
        lock (store.Gate)
        {
            var extras = ExtrasLocked(userId);
            if (!extras.Links.Any(link => link.Provider == provider))
            {
                return null;
            }

            if (store.GetUserLocked(userId).PasswordHash is null && extras.Links.Count == 1)
            {
                return UsersOutcome.Refused("Cannot unlink the only sign-in method: set a password or link another provider first");
            }

            _extras[userId] = extras with { Links = extras.Links.Where(link => link.Provider != provider).ToList() };
            return UsersOutcome.Done();
        }
    }

    private UserExtras ExtrasLocked(string userId) => _extras.GetValueOrDefault(userId) ?? new UserExtras();

    private bool TrySpendCodeLocked(string userId, string code)
    {
        var extras = ExtrasLocked(userId);
        if (extras.TotpSecret is null || Verify(extras.TotpSecret, code, extras.LastTotpStep) is not { } step)
        {
            return false;
        }

        _extras[userId] = extras with { LastTotpStep = step };
        return true;
    }

    /// <summary>The time step of a valid code not used before, or null.</summary>
    private long? Verify(string secret, string code, long lastStep)
    {
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        return totp.VerifyTotp(timeProvider.GetUtcNow().UtcDateTime, code.Trim(), out var step, new VerificationWindow(previous: 1, future: 1)) && step > lastStep
            ? step
            : null;
    }
}
