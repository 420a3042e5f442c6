namespace Mudbase.Emulator;

/// <summary>
/// Counts of what one emulator has served since it started, for tests that assert on server-side
/// effects (how many refreshes a client made, whether it ever replayed a refresh token).
/// A snapshot: later requests do not change an instance already returned.
/// </summary>
public sealed record EmulatorStatistics
{
    /// <summary>
    /// Users created by any route: registration, guests, and the passwordless and OAuth sign-ins that
    /// create users. Only real creations: a registration refused because the email was taken counts
    /// in <see cref="DuplicateRegistrations"/> instead.
    /// </summary>
    public int UsersCreated { get; init; }

    /// <summary>
    /// Registrations (<c>POST /api/auth/local/register</c> and <c>…/signup/{role}</c>) refused because the
    /// project already had a user with that email: a client that sent a registration again after
    /// losing the first answer shows here.
    /// </summary>
    public int DuplicateRegistrations { get; init; }

    /// <summary>Sessions started, by any sign-in (a refresh continues a session rather than starting one).</summary>
    public int SessionsStarted { get; init; }

    /// <summary>Successful password sign-ins (<c>POST /api/auth/local/login</c> answered 200).</summary>
    public int Logins { get; init; }

    /// <summary>Every <c>POST /api/auth/refresh</c> that reached the handler, whatever its answer (rate-limited ones do not).</summary>
    public int RefreshRequests { get; init; }

    /// <summary>Refresh tokens presented again after they had been exchanged; each one revokes its session.</summary>
    public int RefreshTokenReuses { get; init; }

    /// <summary>Sessions ended: logout, refresh-token reuse, password reset, or guest conversion.</summary>
    public int SessionsRevoked { get; init; }
}
