namespace Mudbase.Auth;

/// <summary>
/// The outcome of a registration. When <see cref="RequireVerification"/> is true the user must confirm their
/// email and then sign in, and there are no tokens; otherwise <see cref="Session"/> holds the new session.
/// </summary>
/// <remarks><see cref="ToString"/> never shows the tokens.</remarks>
public sealed class RegisterResult
{
    /// <summary>Creates a result, for tests and mocks.</summary>
    /// <param name="requireVerification">Whether the user must verify their email before signing in.</param>
    /// <param name="user">The new user, when the server described them.</param>
    /// <param name="session">The session, when tokens came back.</param>
    /// <param name="message">The server's message.</param>
    /// <param name="role">The role signed up with, for <see cref="IMudbaseAuth.RegisterWithRoleAsync"/>.</param>
    public RegisterResult(bool requireVerification, MudbaseUser? user, AuthSession? session, string? message = null, MudbaseRole? role = null)
    {
        RequireVerification = requireVerification;
        User = user ?? session?.User;
        Session = session;
        Message = message;
        Role = role;
    }

    /// <summary>The server's message, such as <c>Check your email to verify your account</c>.</summary>
    public string? Message { get; }

    /// <summary>True when the project requires email verification: no tokens until the user verifies and signs in.</summary>
    public bool RequireVerification { get; }

    /// <summary>The access token, when one came back.</summary>
    public string? Token => Session?.Token;

    /// <summary>The refresh token, when one came back.</summary>
    public string? RefreshToken => Session?.RefreshToken;

    /// <summary>The access token's lifetime in seconds, when one came back.</summary>
    public int? ExpiresIn => Session?.ExpiresIn;

    /// <summary>The new user, when the server described them.</summary>
    public MudbaseUser? User { get; }

    /// <summary>The new session, set when tokens came back (verification off). It is also the client's current session.</summary>
    public AuthSession? Session { get; }

    /// <summary>The role signed up with, for <see cref="IMudbaseAuth.RegisterWithRoleAsync"/>.</summary>
    public MudbaseRole? Role { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"RegisterResult {{ RequireVerification = {RequireVerification}, User = {User?.Id}, Session = {(Session is null ? "null" : "***")} }}";
}
