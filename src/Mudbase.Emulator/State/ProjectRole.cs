namespace Mudbase.Emulator.State;

/// <summary>
/// A project-defined role users can sign up into (<c>POST /api/auth/local/signup/{slug}</c>); the
/// slug is what <see cref="UserAccount.CustomRole"/> holds.
/// </summary>
internal sealed record ProjectRole(string Slug, string Name, string Description)
{
    /// <summary>Whether an elevation into the role waits for an admin (<c>MudbaseEmulator.ApproveElevation</c>) rather than being approved at once.</summary>
    public bool RequiresApproval { get; init; }

    /// <summary>
    /// The roles every emulator project starts with. Hosted projects start with <c>customer</c>;
    /// <c>vendor</c> stands for a role the project added, so that tests can tell roles apart. An elevation into
    /// <c>customer</c> is approved at once; one into <c>vendor</c> waits for approval (sign-up into either stays open).
    /// </summary>
    public static IReadOnlyList<ProjectRole> Starters { get; } =
    [
        new("customer", "Customer", "Signs up to use the app"),
        new("vendor", "Vendor", "Sells products or services through the app") { RequiresApproval = true },
    ];
}
