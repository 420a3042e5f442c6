namespace Mudbase.Emulator.State;

/// <summary>
/// A project's end user, registered or anonymous. Immutable: the store swaps in a changed copy
/// (<c>with</c>), so a record handed to a request never changes under it.
/// </summary>
internal sealed record UserAccount
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    /// <summary>Lower case: emails are unique per project regardless of case.</summary>
    public required string Email { get; init; }

    public required string FirstName { get; init; }

    public required string LastName { get; init; }

    /// <summary>See <see cref="Infrastructure.PasswordHasher"/>; null for anonymous users.</summary>
    public string? PasswordHash { get; init; }

    public required bool EmailVerified { get; init; }

    /// <summary>The phone number an SMS sign-in created the user for, in E.164 form (<c>+15551234567</c>).</summary>
    public string? Phone { get; init; }

    public bool IsAnonymous { get; init; }

    /// <summary>The built-in role; every end user starts as a viewer.</summary>
    public string Role { get; init; } = "viewer";

    /// <summary>The slug of a project-defined role, if one was assigned.</summary>
    public string? CustomRole { get; init; }

    /// <summary>The device an anonymous session was created for, when the client named one.</summary>
    public string? DeviceId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
