namespace Mudbase.Auth;

/// <summary>Why the current session changed.</summary>
public enum SessionChangeReason
{
    /// <summary>A call returned new tokens: anonymous, registration, login, conversion, magic link, OTP, OAuth.</summary>
    SignedIn,

    /// <summary>The tokens were refreshed; the user is the same.</summary>
    Refreshed,

    /// <summary>The app signed out (<see cref="IMudbaseAuth.LogoutAsync"/>).</summary>
    SignedOut,

    /// <summary>The server rejected the refresh token (expired or revoked): the user must sign in again.</summary>
    RefreshRejected,
}

/// <summary>The data of <see cref="IMudbaseAuth.SessionChanged"/>.</summary>
public sealed class SessionChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="session">The new session, or null when signed out.</param>
    /// <param name="reason">Why it changed.</param>
    public SessionChangedEventArgs(AuthSession? session, SessionChangeReason reason)
    {
        Session = session;
        Reason = reason;
    }

    /// <summary>The new session, or null when signed out.</summary>
    public AuthSession? Session { get; }

    /// <summary>Why it changed.</summary>
    public SessionChangeReason Reason { get; }
}
