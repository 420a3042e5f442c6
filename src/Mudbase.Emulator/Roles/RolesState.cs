using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Roles;

/// <summary>A user's request to move to another app role.</summary>
internal sealed record ElevationRecord(string Id, string ProjectId, string UserId, string RoleSlug, DateTimeOffset CreatedAt)
{
    /// <summary><c>approved</c>, <c>pending</c> or <c>rejected</c>.</summary>
    public string Status { get; init; } = "pending";

    /// <summary><c>auto_approved</c> or <c>pending_admin_approval</c>.</summary>
    public string Workflow { get; init; } = "pending_admin_approval";

    public int Documents { get; init; }
}

/// <summary>How an elevation request ended.</summary>
internal enum ElevationOutcome
{
    Created,
    RoleNotFound,
    AlreadyHasRole,
    AlreadyPending,
}

/// <summary>
/// The multi-role area's state: elevation requests, guarded by the shared <see cref="EmulatorStore.Gate"/>, so that an
/// approval and the user's new <c>customRole</c> are one step. A role whose <see cref="ProjectRole.RequiresApproval"/>
/// is false is approved at once; any other waits for <c>MudbaseEmulator.ApproveElevation</c>.
/// </summary>
internal sealed class RolesState(EmulatorStore store, ObjectIdGenerator ids, TimeProvider timeProvider)
{
    private readonly List<ElevationRecord> _elevations = [];

    public (ElevationOutcome Outcome, ElevationRecord? Record) Request(Project project, string userId, string roleSlug)
    {
        lock (store.Gate)
        {
            if (project.Roles.FirstOrDefault(role => role.Slug == roleSlug) is not { } role)
            {
                return (ElevationOutcome.RoleNotFound, null);
            }

            var user = store.GetUserLocked(userId);
            if (user.CustomRole == roleSlug)
            {
                return (ElevationOutcome.AlreadyHasRole, null);
            }

            if (_elevations.Any(e => e.UserId == userId && e.RoleSlug == roleSlug && e.Status == "pending"))
            {
                return (ElevationOutcome.AlreadyPending, null);
            }

            var record = new ElevationRecord(ids.Next(), project.Id, userId, roleSlug, timeProvider.GetUtcNow());
            if (!role.RequiresApproval)
            {
                record = record with { Status = "approved", Workflow = "auto_approved" };
                store.ReplaceUserLocked(user with { CustomRole = roleSlug });
            }

            _elevations.Add(record);
            return (ElevationOutcome.Created, record);
        }
    }

    /// <summary>Approves a pending request and gives its user the role.</summary>
    /// <returns>False when there is no pending request with that id.</returns>
    public bool Approve(string requestId)
    {
        lock (store.Gate)
        {
            var index = _elevations.FindIndex(e => string.Equals(e.Id, requestId, StringComparison.OrdinalIgnoreCase) && e.Status == "pending");
            if (index < 0)
            {
                return false;
            }

            var record = _elevations[index];
            _elevations[index] = record with { Status = "approved" };
            store.ReplaceUserLocked(store.GetUserLocked(record.UserId) with { CustomRole = record.RoleSlug });
            return true;
        }
    }

    public IReadOnlyList<ElevationRecord> List(string userId, string? roleSlug)
    {
        lock (store.Gate)
        {
            return _elevations.Where(e => e.UserId == userId && (roleSlug is null || e.RoleSlug == roleSlug)).ToList();
        }
    }

    /// <summary>Notes documents on the user's pending request for the role; false when there is none.</summary>
    public bool AddDocuments(string userId, string roleSlug, int count)
    {
        lock (store.Gate)
        {
            var index = _elevations.FindIndex(e => e.UserId == userId && e.RoleSlug == roleSlug && e.Status == "pending");
            if (index < 0)
            {
                return false;
            }

            _elevations[index] = _elevations[index] with { Documents = _elevations[index].Documents + count };
            return true;
        }
    }
}
