namespace Mudbase.Emulator.Auth;

/// <summary>An OAuth sign-in waiting on the emulator's consent page, keyed by its <c>state</c>.</summary>
internal sealed record OAuthAuthorization(
    string State,
    string Provider,
    string ProjectId,
    Uri RedirectUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);
