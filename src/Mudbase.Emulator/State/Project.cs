namespace Mudbase.Emulator.State;

/// <summary>A Mudbase project: the tenant that owns users, sessions and (later) data.</summary>
internal sealed record Project(string Id, string Name, bool RequireEmailVerification, DateTimeOffset CreatedAt)
{
    /// <summary>The roles open to self sign-up; the starter roles unless a project says otherwise.</summary>
    public IReadOnlyList<ProjectRole> Roles { get; init; } = ProjectRole.Starters;
}
