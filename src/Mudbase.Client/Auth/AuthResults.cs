using System.Text.Json.Serialization;

namespace Mudbase.Auth;

/// <summary>The server's view of the current session (<see cref="IMudbaseAuth.GetSessionAsync"/>).</summary>
public sealed class SessionInfo
{
    /// <summary>Creates the result, for tests and mocks.</summary>
    /// <param name="authenticated">Whether the server accepted the token.</param>
    /// <param name="user">The user the token belongs to.</param>
    public SessionInfo(bool authenticated, MudbaseUser? user)
    {
        Authenticated = authenticated;
        User = user;
    }

    /// <summary>Whether the server accepted the token.</summary>
    public bool Authenticated { get; }

    /// <summary>The user the token belongs to.</summary>
    public MudbaseUser? User { get; }

    /// <inheritdoc />
    public override string ToString() => $"SessionInfo {{ Authenticated = {Authenticated}, User = {User?.Id} }}";
}

/// <summary>A role a user signed up with (<see cref="IMudbaseAuth.RegisterWithRoleAsync"/>).</summary>
public sealed class MudbaseRole
{
    [JsonConstructor]
    internal MudbaseRole()
    {
    }

    /// <summary>The role's slug, as in the signup path (for example <c>customer</c>).</summary>
    [JsonInclude]
    public string? Slug { get; internal set; }

    /// <summary>The role's display name.</summary>
    [JsonInclude]
    public string? Name { get; internal set; }

    /// <summary>The role's description.</summary>
    [JsonInclude]
    public string? Description { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"MudbaseRole {{ Slug = {Slug}, Name = {Name} }}";
}

/// <summary>An OAuth provider the server supports (<see cref="IMudbaseAuth.GetOAuthProvidersAsync"/>).</summary>
public sealed class OAuthProviderInfo
{
    [JsonConstructor]
    internal OAuthProviderInfo()
    {
    }

    /// <summary>The provider's name, as used in <see cref="IMudbaseAuth.GetOAuthUrl"/> (for example <c>google</c>).</summary>
    [JsonInclude]
    public string Name { get; internal set; } = "";

    /// <summary>A name to show, such as <c>Google</c>.</summary>
    [JsonInclude]
    public string? DisplayName { get; internal set; }

    /// <summary>The server's strategy for the provider.</summary>
    [JsonInclude]
    public string? Strategy { get; internal set; }

    /// <summary>The scopes asked for by default.</summary>
    [JsonInclude]
    public IReadOnlyList<string>? DefaultScope { get; internal set; }

    /// <summary>The server's callback path for the provider.</summary>
    [JsonInclude]
    public string? CallbackUrl { get; internal set; }

    /// <summary>The settings a project must configure to enable the provider.</summary>
    [JsonInclude]
    public IReadOnlyList<string>? RequiredFields { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"OAuthProviderInfo {{ Name = {Name}, DisplayName = {DisplayName} }}";
}
