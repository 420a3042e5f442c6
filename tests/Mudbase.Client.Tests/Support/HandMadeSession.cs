using Mudbase.Auth;

namespace Mudbase.Tests.Support;

/// <summary>A session made without a sign-in request, for clients whose transport loses answers from the first request on.</summary>
internal static class HandMadeSession
{
    /// <summary>The canned tokens, valid for an hour.</summary>
    public static AuthSession Fresh() =>
        new(Bodies.AccessToken, Bodies.RefreshToken, 3600, DateTimeOffset.UtcNow.AddHours(1), new MudbaseUser(Bodies.UserId, "ada@northwind.dev"));
}
