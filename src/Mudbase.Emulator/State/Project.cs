namespace Mudbase.Emulator.State;

/// <summary>A Mudbase project: the tenant that owns users, sessions and (later) data.</summary>
internal sealed record Project(string Id, string Name, bool RequireEmailVerification, DateTimeOffset CreatedAt);
